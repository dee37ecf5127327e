using Microsoft.Extensions.Configuration;
using OrleansNodes.Silo;

namespace OrleansNodes.Infra.Tests;

/// <summary>
/// What the silo reads, as the infrastructure files must use it: environment variables bound
/// into <see cref="HostSettings"/> exactly as the silo binds them, and its HTTP endpoints.
/// </summary>
internal static class SiloContract
{
    /// <summary>The prefix of every silo setting in the environment (section OrleansNodes, "__" nesting).</summary>
    public const string Prefix = "ORLEANSNODES__";

    /// <summary>Liveness: the silo is not stopping or dead (anonymous, see silo/Health).</summary>
    public const string LivePath = HealthEndpoints.LivePath;

    /// <summary>Readiness: the silo is an active member of its Orleans cluster and serves grain calls.</summary>
    public const string ReadyPath = HealthEndpoints.ReadyPath;

    /// <summary>
    /// Binds <paramref name="environment"/> (variable name to value) the way the silo does:
    /// the environment provider turns "__" into ":", and the section binds into HostSettings.
    /// A variable naming no property of HostSettings fails, where the silo would silently ignore it.
    /// </summary>
    public static HostSettings Bind(IEnumerable<KeyValuePair<string, string>> environment)
    {
        var values = environment
            .Where(variable => variable.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            .Select(variable => KeyValuePair.Create(variable.Key.Replace("__", ":", StringComparison.Ordinal), (string?)variable.Value));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var settings = new HostSettings();
        configuration.GetSection(HostSettings.Section).Bind(settings, options => options.ErrorOnUnknownConfiguration = true);
        return settings;
    }

    /// <summary>The problem binding a single variable, or null when it names a HostSettings property.</summary>
    public static string? BindProblem(string name, string value)
    {
        try
        {
            Bind([KeyValuePair.Create(name, value)]);
            return null;
        }
        catch (InvalidOperationException exception)
        {
            return $"{name}: {exception.Message}";
        }
    }

    /// <summary>
    /// The settable HostSettings property a variable names (walking nested sections, ignoring
    /// case, as the binder does), or null. For values that are deployment-time expressions
    /// (Bicep) and so cannot be bound.
    /// </summary>
    public static System.Reflection.PropertyInfo? PropertyFor(string name)
    {
        if (!name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return null;
        var type = typeof(HostSettings);
        System.Reflection.PropertyInfo? property = null;
        foreach (var part in name[Prefix.Length..].Split("__"))
        {
            if (property is not null) type = property.PropertyType;
            property = type.GetProperty(part, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase);
            if (property is null) return null;
        }
        return property is { CanWrite: true } && (property.PropertyType.IsPrimitive || property.PropertyType == typeof(string)) ? property : null;
    }

    /// <summary>The port of the silo's HTTP listener (dashboard, /status, /healthz/*).</summary>
    public static int HttpPort(HostSettings settings) => new Uri(settings.Url).Port;
}
