using OrleansNodes.Hosting.Clients;
using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// How the console reports a key-value request's outcome: the line it prints and its exit code.
/// A request without an answer is an "unknown outcome" (exit 5), never a failure: it may have
/// taken effect (Hosting's <see cref="RequestOutcome.Unknown"/>).
/// </summary>
public static class KvOutcome
{
    /// <summary>
    /// The output line and exit code for <paramref name="outcome"/> of <paramref name="command"/>;
    /// throws a <see cref="CliException"/> for outcomes that are errors rather than answers.
    /// </summary>
    public static (string Line, int ExitCode) Render(KeyValueCommand command, RequestOutcome outcome) => outcome switch
    {
        RequestOutcome.Replied { Reply: KeyValueReply reply } => Answer(command, reply),
        RequestOutcome.Replied replied => throw new CliException(ExitCodes.Failed, $"the cluster answered with {replied.Reply.GetType().Name}, not a key-value reply"),
        RequestOutcome.Unknown unknown => throw new CliException(ExitCodes.UnknownOutcome, $"unknown outcome: no answer in time, the {Verb(command)} may or may not have taken effect ({unknown.Reason})"),
        RequestOutcome.Rejected rejected => throw CliException.BadInput($"rejected, not applied: {rejected.Reason}"),
        _ => throw new CliException(ExitCodes.Failed, $"unexpected outcome {outcome}"),
    };

    private static (string Line, int ExitCode) Answer(KeyValueCommand command, KeyValueReply reply) => reply switch
    {
        KeyValueReply.Value { Current: { } value } => (value, ExitCodes.Ok),
        KeyValueReply.Value => throw new CliException(ExitCodes.Failed, $"key '{Key(command)}' is missing"),
        KeyValueReply.Ok => ("ok", ExitCodes.Ok),
        KeyValueReply.CasResult { Succeeded: true } => ("ok", ExitCodes.Ok),
        KeyValueReply.CasResult { Current: { } current } => ($"cas failed: the current value is {current}", ExitCodes.Failed),
        KeyValueReply.CasResult => ("cas failed: the key is missing", ExitCodes.Failed),
        // The gateway follows redirects until its deadline, so one that reaches us means no leader
        // answered in time; an earlier attempt of the same request id may still have been applied.
        KeyValueReply.Redirect => throw new CliException(ExitCodes.UnknownOutcome, $"unknown outcome: no leader answered in time, the {Verb(command)} may or may not have taken effect"),
        _ => throw new CliException(ExitCodes.Failed, $"unexpected reply {reply}"),
    };

    private static string Verb(KeyValueCommand command) => command switch
    {
        KeyValueCommand.Get => "get",
        KeyValueCommand.Put => "put",
        KeyValueCommand.Delete => "delete",
        KeyValueCommand.Cas => "cas",
        KeyValueCommand.Append => "append",
        _ => "request",
    };

    private static string Key(KeyValueCommand command) => command switch
    {
        KeyValueCommand.Get g => g.Key,
        KeyValueCommand.Put p => p.Key,
        KeyValueCommand.Delete d => d.Key,
        KeyValueCommand.Cas c => c.Key,
        KeyValueCommand.Append a => a.Key,
        _ => "?",
    };
}
