using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Protocols;

/// <summary>
/// A protocol registered with the host, with its type parameters erased so one non-generic
/// node grain can run any of them. Create one with <see cref="HostedProtocol.Create"/> or
/// through <c>AddProtocol</c>.
/// </summary>
public abstract class HostedProtocol
{
    /// <summary>The protocol's name, as clusters refer to it (e.g. <c>kv</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The protocol's settings type.</summary>
    public abstract Type SettingsType { get; }

    /// <summary>Settings used when a cluster is created without any.</summary>
    public abstract object DefaultSettings { get; }

    /// <summary>
    /// Starts node <paramref name="self"/> from its durable image (<c>Recover</c>), or from
    /// <c>Init</c> when it has none (a node being created: its first flush writes its hard state).
    /// </summary>
    public abstract NodeRunner Start(NodeId self, int nodeCount, object settings, ulong seed, DurableImage? image);

    /// <summary>
    /// When <paramref name="reply"/> says "not me" (a key-value store's <c>Redirect</c>), where
    /// to ask instead; null when it is a real answer. Gateways follow it with the same request id.
    /// </summary>
    public abstract RedirectHint? Redirect(object reply);

    /// <summary>True when <paramref name="settings"/> can configure this protocol.</summary>
    public bool AcceptsSettings(object settings) => SettingsType.IsInstanceOfType(settings);

    /// <summary>Wraps <paramref name="protocol"/> for hosting.</summary>
    /// <param name="protocol">The pure protocol.</param>
    /// <param name="defaultSettings">Settings for clusters created without any.</param>
    /// <param name="redirect">Reads a redirect out of a reply whose type cannot implement <see cref="IRedirect"/>; null to rely on <see cref="IRedirect"/> alone.</param>
    public static HostedProtocol Create<TSettings, TState, TMessage, TRequest, TReply>(
        Protocol<TSettings, TState, TMessage, TRequest, TReply> protocol,
        TSettings defaultSettings,
        Func<TReply, RedirectHint?>? redirect = null)
        where TState : class
        where TSettings : notnull
        where TMessage : notnull
        where TRequest : notnull
        where TReply : notnull =>
        new HostedProtocol<TSettings, TState, TMessage, TRequest, TReply>(protocol, defaultSettings, redirect);
}
