namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// One key-value command as a client issued it: what it asked for, not what it got back (that
/// is the <see cref="OperationResult"/>). <see cref="Value"/> is the value a put, append or
/// compare-and-set writes; <see cref="Expected"/> is the value a compare-and-set compares with
/// (<c>null</c>: the key is absent).
/// </summary>
public sealed record Command(OperationKind Kind, string Key, string? Value = null, string? Expected = null)
{
    /// <summary>Reads <paramref name="key"/>.</summary>
    public static Command Get(string key) => new(OperationKind.Get, key);

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>.</summary>
    public static Command Put(string key, string value) => new(OperationKind.Put, key, value);

    /// <summary>Removes <paramref name="key"/>.</summary>
    public static Command Delete(string key) => new(OperationKind.Delete, key);

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> if it holds <paramref name="expected"/>.</summary>
    public static Command Cas(string key, string? expected, string value) => new(OperationKind.Cas, key, value, expected);

    /// <summary>Concatenates <paramref name="value"/> to <paramref name="key"/>'s value.</summary>
    public static Command Append(string key, string value) => new(OperationKind.Append, key, value);

    /// <summary>
    /// Why this command is malformed (a put without a value, a get with one...), or <c>null</c>
    /// when it is well formed. Loaders turn the reason into a line-numbered error.
    /// </summary>
    public string? Problem() => Kind switch
    {
        _ when Key is null => "has no key",
        OperationKind.Get or OperationKind.Delete when Value is not null => $"{Verb} takes no value",
        OperationKind.Put or OperationKind.Append or OperationKind.Cas when Value is null => $"{Verb} needs a value",
        not OperationKind.Cas when Expected is not null => $"{Verb} takes no expected value",
        OperationKind.Get or OperationKind.Put or OperationKind.Delete or OperationKind.Cas or OperationKind.Append => null,
        _ => $"unknown kind {(int)Kind}",
    };

    /// <summary>Does this command change the key when it takes effect?</summary>
    public bool IsMutation => Kind is not OperationKind.Get;

    /// <summary>The lower-case name used in histories and explanations: get, put, delete, cas, append.</summary>
    public string Verb => Kind switch
    {
        OperationKind.Get => "get",
        OperationKind.Put => "put",
        OperationKind.Delete => "delete",
        OperationKind.Cas => "cas",
        OperationKind.Append => "append",
        _ => "op" + (int)Kind,
    };

    /// <summary>Prints like <c>put k1 "x"</c> or <c>cas k1 "a"→"b"</c>.</summary>
    public override string ToString() => Kind switch
    {
        OperationKind.Get or OperationKind.Delete => $"{Verb} {Key}",
        OperationKind.Cas => $"{Verb} {Key} {Quote(Expected)}→{Quote(Value)}",
        _ => $"{Verb} {Key} {Quote(Value)}",
    };

    /// <summary>Quotes a value for explanations; <c>null</c> (absent) prints as <c>nil</c>.</summary>
    internal static string Quote(string? value) =>
        value is null ? "nil" : System.Text.Json.JsonSerializer.Serialize(value, HistoryJson.StringOptions);
}
