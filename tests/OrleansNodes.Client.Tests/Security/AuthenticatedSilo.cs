using System.Net.Http.Headers;
using System.Text;

namespace OrleansNodes.Client.Tests.Security;

/// <summary>A silo whose HTTP endpoints listen on every interface, so the dashboard requires its credentials.</summary>
public sealed class AuthenticatedSilo : SiloProcess
{
    /// <summary>The dashboard's user name.</summary>
    public const string Username = "operator";

    /// <summary>The dashboard's password.</summary>
    public const string Password = "correct horse battery staple";

    /// <summary>An <c>Authorization</c> header for HTTP basic authentication.</summary>
    public static AuthenticationHeaderValue Basic(string username, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));

    /// <inheritdoc/>
    protected override AuthenticationHeaderValue? HttpAuthorization => Basic(Username, Password);

    /// <inheritdoc/>
    // Same port as the fixture's loopback Url, which the tests keep using to reach it.
    protected override IEnumerable<string> Arguments(OrleansNodes.TestServers.SiloProcess silo) => ["--url", $"http://0.0.0.0:{silo.Url.Port}"];

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string> SiloEnvironment => new Dictionary<string, string>
    {
        ["ORLEANSNODES__DASHBOARD__USERNAME"] = Username,
        ["ORLEANSNODES__DASHBOARD__PASSWORD"] = Password,
    };
}
