using OrleansNodes.Security;

namespace OrleansNodes.Silo;

/// <summary>
/// The silo's security and health wiring in two calls: <see cref="AddSiloSecurity"/> before
/// <c>Build()</c> (TLS on every Orleans connection, the health checks, the dashboard's
/// credentials) and <see cref="UseSiloSecurity"/> before the endpoints are mapped.
/// </summary>
public static class SiloSecurity
{
    /// <summary>
    /// Loads the TLS certificate and checks the dashboard's credentials; returns a one-line
    /// problem (the silo then exits with code 2) or null once everything is registered.
    /// </summary>
    public static string? AddSiloSecurity(this WebApplicationBuilder builder, HostSettings settings)
    {
        var authentication = DashboardAuthentication.For(settings, out var problem);
        if (problem is not null) return problem;
        if (settings.Tls.Enabled)
        {
            var tls = TlsCredentials.Load(settings.Tls.CertificatePath, settings.Tls.CertificatePassword, settings.Tls.CaCertificatePath, out problem);
            if (tls is null) return problem;
            // Silo-to-silo and gateway connections both ways; a console or silo without TLS is
            // refused at the handshake.
            builder.UseOrleans(silo => silo.UseTls(tls.Configure));
        }
        else if (settings.Tls.CaCertificatePath.Length > 0)
        {
            return "Tls:CaCertificatePath (--tls-ca) needs Tls:CertificatePath (--tls-certificate)";
        }
        if (authentication is not null) builder.Services.AddSingleton(authentication);
        builder.Services.AddSiloHealth();
        return null;
    }

    /// <summary>Puts the dashboard's authentication, when configured, in front of the endpoints, and maps the health endpoints.</summary>
    public static void UseSiloSecurity(this WebApplication app)
    {
        if (app.Services.GetService<DashboardAuthentication>() is { } authentication) app.Use(authentication.InvokeAsync);
        app.MapHealth();
    }
}
