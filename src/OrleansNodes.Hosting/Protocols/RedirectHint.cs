using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Protocols;

/// <summary>
/// What a protocol's reply says when it is a redirect rather than an answer: "ask
/// <see cref="Leader"/>", or, when <see cref="Leader"/> is null, "ask someone else, I do not
/// know who leads" (an election is under way). Nothing was applied, so the gateway retries the
/// same request id elsewhere.
/// </summary>
public readonly record struct RedirectHint(NodeId? Leader);
