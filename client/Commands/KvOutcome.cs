using OrleansNodes.Hosting.Clients;
using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// How the console reports a key-value request's outcome: the line it prints and its exit code.
/// A request without an answer is an "unknown outcome" (exit 5), never a failure: it may have
/// taken effect (Hosting's <see cref="RequestOutcome.Unknown"/>). With <c>-o json</c> every
/// answer of the cluster is one JSON object, a missing key and a cas that did not apply too
/// (still exit 1): <c>{"op":"get","key","found","value"}</c>, <c>{"op":"put|delete|append","key","ok":true}</c>,
/// <c>{"op":"cas","key","applied","current"}</c>. What is not an answer (no answer in time, a
/// refusal) stays an error on standard error.
/// </summary>
public static class KvOutcome
{
    /// <summary>
    /// The output line and exit code for <paramref name="outcome"/> of <paramref name="command"/>;
    /// throws a <see cref="CliException"/> for outcomes that are errors rather than answers.
    /// </summary>
    public static (string Line, int ExitCode) Render(KeyValueCommand command, RequestOutcome outcome, bool json = false) => outcome switch
    {
        RequestOutcome.Replied { Reply: KeyValueReply reply } => json ? JsonAnswer(command, reply) : Answer(command, reply),
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

    private static (string Line, int ExitCode) JsonAnswer(KeyValueCommand command, KeyValueReply reply)
    {
        var key = Key(command);
        var verb = Verb(command);
        (object Json, int ExitCode) answer = reply switch
        {
            KeyValueReply.Value { Current: var value } => (new { op = verb, key, found = value is not null, value }, value is null ? ExitCodes.Failed : ExitCodes.Ok),
            KeyValueReply.Ok => (new { op = verb, key, ok = true }, ExitCodes.Ok),
            KeyValueReply.CasResult cas => (new { op = verb, key, applied = cas.Succeeded, current = cas.Succeeded ? null : cas.Current }, cas.Succeeded ? ExitCodes.Ok : ExitCodes.Failed),
            // Not an answer: the same errors as in text.
            _ => (Answer(command, reply).Line, ExitCodes.Failed),
        };
        return (System.Text.Json.JsonSerializer.Serialize(answer.Json, JsonLines.Options), answer.ExitCode);
    }

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
