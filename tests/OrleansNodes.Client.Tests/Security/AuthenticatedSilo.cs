using System.Diagnostics;
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
    protected override void Configure(ProcessStartInfo start)
    {
        // Same port as the fixture's loopback Url, which the tests keep using to reach it.
        start.ArgumentList.Add("--url");
        start.ArgumentList.Add($"http://0.0.0.0:{Url.Port}");
        start.Environment["ORLEANSNODES__DASHBOARD__USERNAME"] = Username;
        start.Environment["ORLEANSNODES__DASHBOARD__PASSWORD"] = Password;
    }
}
