using System.Globalization;

namespace OrleansNodes.Simulation;

/// <summary>
/// One step of a schedule, recorded as it happened so it can be replayed without the random
/// source that chose it. A run is the list of its decisions; shrinking deletes decisions, and a
/// decision that no longer applies on replay (a message that was never sent, a node already up)
/// is skipped.
/// </summary>
/// <remarks>
/// A message is named by its link and its ordinal on that link (<c>deliver n1->n0 #3</c>: the
/// third message n1 sent to n0), which survives the deletion of unrelated decisions far better
/// than a global counter would. Text forms: <c>round</c>, <c>tick n2</c>,
/// <c>deliver n1->n0 #3</c>, <c>drop n1->n0 #3</c>, <c>dup n1->n0 #3</c>, <c>flush n0</c>,
/// <c>crash n0</c>, <c>restart n0</c>, <c>cut n0->n1</c>, <c>heal</c>, <c>request c3#7->n1</c>,
/// <c>submit c3#7->n1 $0</c>, <c>live</c>, <c>flush-crash n0</c>, <c>rest n2</c>,
/// <c>delay n1->n0 #3 +2</c>.
/// </remarks>
/// <param name="Kind">What happens.</param>
/// <param name="Node">The node that steps, or a message's or link's source.</param>
/// <param name="Peer">A message's or link's target; for <see cref="DecisionKind.Submit"/>, the index of the scripted command.</param>
/// <param name="Number">A message's ordinal on its link, or a request's sequence number.</param>
/// <param name="Client">A request's client; for <see cref="DecisionKind.Delay"/>, the rounds the message is held.</param>
public readonly record struct Decision(DecisionKind Kind, int Node = 0, int Peer = 0, long Number = 0, long Client = 0)
{
    /// <summary>Time advances one round.</summary>
    public static Decision Round => new(DecisionKind.Round);

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        DecisionKind.Round => "round",
        DecisionKind.Tick => $"tick n{Node}",
        DecisionKind.Deliver => $"deliver n{Node}->n{Peer} #{Number}",
        DecisionKind.Drop => $"drop n{Node}->n{Peer} #{Number}",
        DecisionKind.Duplicate => $"dup n{Node}->n{Peer} #{Number}",
        DecisionKind.Flush => $"flush n{Node}",
        DecisionKind.Crash => $"crash n{Node}",
        DecisionKind.Restart => $"restart n{Node}",
        DecisionKind.Cut => $"cut n{Node}->n{Peer}",
        DecisionKind.Heal => "heal",
        DecisionKind.Request => $"request c{Client}#{Number}->n{Node}",
        DecisionKind.Submit => $"submit c{Client}#{Number}->n{Node} ${Peer}",
        DecisionKind.Live => "live",
        DecisionKind.FlushCrash => $"flush-crash n{Node}",
        DecisionKind.Rest => $"rest n{Node}",
        DecisionKind.Delay => $"delay n{Node}->n{Peer} #{Number} +{Client}",
        _ => $"unknown {(int)Kind}",
    };

    /// <summary>Parses a text form (see remarks); throws <see cref="FormatException"/> with a short reason.</summary>
    public static Decision Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) throw new FormatException("empty decision");
        var verb = words[0];
        return verb switch
        {
            "round" => Bare(words, DecisionKind.Round),
            "heal" => Bare(words, DecisionKind.Heal),
            "live" => Bare(words, DecisionKind.Live),
            "tick" => OnNode(words, DecisionKind.Tick),
            "flush" => OnNode(words, DecisionKind.Flush),
            "crash" => OnNode(words, DecisionKind.Crash),
            "flush-crash" => OnNode(words, DecisionKind.FlushCrash),
            "rest" => OnNode(words, DecisionKind.Rest),
            "restart" => OnNode(words, DecisionKind.Restart),
            "deliver" => OnMessage(words, DecisionKind.Deliver),
            "drop" => OnMessage(words, DecisionKind.Drop),
            "dup" => OnMessage(words, DecisionKind.Duplicate),
            "delay" => OnDelay(words),
            "cut" => OnLink(words),
            "request" => OnRequest(words, DecisionKind.Request),
            "submit" => OnRequest(words, DecisionKind.Submit),
            _ => throw new FormatException($"unknown decision '{text}'"),
        };
    }

    private static Decision Bare(string[] words, DecisionKind kind)
    {
        Expect(words, 1);
        return new Decision(kind);
    }

    private static Decision OnNode(string[] words, DecisionKind kind)
    {
        Expect(words, 2);
        return new Decision(kind, Node: ParseNode(words[1]));
    }

    private static Decision OnLink(string[] words)
    {
        Expect(words, 2);
        var (from, to) = ParseLink(words[1]);
        return new Decision(DecisionKind.Cut, from, to);
    }

    private static Decision OnMessage(string[] words, DecisionKind kind)
    {
        Expect(words, 3);
        var (from, to) = ParseLink(words[1]);
        if (!words[2].StartsWith('#')) throw new FormatException($"expected '#<ordinal>' in '{string.Join(' ', words)}'");
        return new Decision(kind, from, to, ParseNumber(words[2][1..]));
    }

    private static Decision OnDelay(string[] words)
    {
        Expect(words, 4);
        var message = OnMessage(words[..3], DecisionKind.Delay);
        if (!words[3].StartsWith('+')) throw new FormatException($"expected '+<rounds>' in '{string.Join(' ', words)}'");
        return message with { Client = ParseNumber(words[3][1..]) };
    }

    private static Decision OnRequest(string[] words, DecisionKind kind)
    {
        Expect(words, kind == DecisionKind.Submit ? 3 : 2);
        var arrow = words[1].IndexOf("->", StringComparison.Ordinal);
        var hash = words[1].IndexOf('#');
        if (!words[1].StartsWith('c') || hash < 0 || arrow < hash)
            throw new FormatException($"expected 'c<client>#<sequence>->n<node>' in '{string.Join(' ', words)}'");
        var client = ParseNumber(words[1][1..hash]);
        var sequence = ParseNumber(words[1][(hash + 1)..arrow]);
        var node = ParseNode(words[1][(arrow + 2)..]);
        var payload = 0;
        if (kind == DecisionKind.Submit)
        {
            if (!words[2].StartsWith('$')) throw new FormatException($"expected '$<command index>' in '{string.Join(' ', words)}'");
            payload = checked((int)ParseNumber(words[2][1..]));
        }

        return new Decision(kind, node, payload, sequence, client);
    }

    private static void Expect(string[] words, int count)
    {
        if (words.Length != count)
            throw new FormatException($"'{string.Join(' ', words)}' needs {count - 1} argument(s)");
    }

    private static (int From, int To) ParseLink(string text)
    {
        var arrow = text.IndexOf("->", StringComparison.Ordinal);
        if (arrow < 0) throw new FormatException($"expected 'n<from>->n<to>', got '{text}'");
        return (ParseNode(text[..arrow]), ParseNode(text[(arrow + 2)..]));
    }

    private static int ParseNode(string text)
    {
        if (!NodeId.TryParse(text, out var id)) throw new FormatException($"expected a node like 'n2', got '{text}'");
        return id.Value;
    }

    private static long ParseNumber(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"expected a number, got '{text}'");
}
