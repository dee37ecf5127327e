using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Net.Http.Headers;

namespace OrleansNodes.Silo;

/// <summary>
/// HTTP basic authentication in front of everything the silo serves over HTTP (the dashboard,
/// <c>/status</c>, the protocol page, <c>/metrics</c>, <c>/</c>) except the health endpoints, which probes call anonymously. It is
/// required when <see cref="HostSettings.Url"/> is not loopback, and applied on loopback too once
/// credentials are configured. Basic authentication sends the password in every request, so
/// anywhere but loopback the Url should be https (or behind a TLS-terminating ingress).
/// </summary>
public sealed class DashboardAuthentication
{
    private const string Challenge = "Basic realm=\"orleansnodes\"";
    private readonly byte[] _expected;

    private DashboardAuthentication(DashboardSettings credentials) =>
        _expected = Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}");

    /// <summary>
    /// The authentication <paramref name="settings"/> call for, or null when the dashboard stays
    /// open (loopback, no credentials); a one-line <paramref name="problem"/> when it cannot start.
    /// </summary>
    public static DashboardAuthentication? For(HostSettings settings, out string? problem)
    {
        problem = null;
        var credentials = settings.Dashboard;
        var given = credentials.Username.Length > 0 || credentials.Password.Length > 0;
        var complete = credentials.Username.Length > 0 && credentials.Password.Length > 0;
        if (given && !complete)
            problem = "Dashboard:Username and Dashboard:Password must be given together";
        else if (credentials.Username.Contains(':', StringComparison.Ordinal))
            problem = "Dashboard:Username must not contain ':' (HTTP basic authentication separates it from the password with one)";
        else if (!complete && !IsLoopback(settings.Url))
            problem = $"Url '{settings.Url}' is not loopback, so the dashboard needs Dashboard:Username and Dashboard:Password (ORLEANSNODES__DASHBOARD__USERNAME, ORLEANSNODES__DASHBOARD__PASSWORD)";
        return problem is null && complete ? new DashboardAuthentication(credentials) : null;
    }

    /// <summary>Whether <paramref name="url"/>'s host is <c>localhost</c> or a loopback address (127.0.0.0/8, ::1).</summary>
    public static bool IsLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)));

    /// <summary>Lets the request through when it carries the credentials or asks for a health endpoint; otherwise answers 401.</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (HealthEndpoints.IsHealthPath(context.Request.Path) || Authenticated(context.Request)) return next(context);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = Challenge;
        return Task.CompletedTask;
    }

    private bool Authenticated(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return false;
        }
        var given = new byte[header.Parameter.Length];
        if (!Convert.TryFromBase64String(header.Parameter, given, out var length)) return false;
        // Constant time in the bytes compared, so a response's timing does not reveal how much
        // of a guess was right (the length check leaks only the length).
        return CryptographicOperations.FixedTimeEquals(given[..length], _expected);
    }
}
