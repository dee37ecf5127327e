using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Numerics;
using System.Reflection;

namespace OrleansNodes.Simulation.Exploration;

/// <summary>
/// Stable 64-bit fingerprints of immutable values, fast enough to hash every state an
/// exhaustive search visits. Like <see cref="StructuralHash"/> it hashes records, structs and
/// classes by their fields, sequences by their elements in order, and sets and dictionaries by
/// their entries in any order, and it is the same in every process (strings are hashed by their
/// characters, never with the randomized <c>string.GetHashCode</c>). Unlike it, each type gets a
/// compiled hasher on first use, so a fingerprint costs field reads and multiplications, no
/// reflection and no boxing of struct fields.
/// </summary>
/// <remarks>
/// A fingerprint may be taken under a node map (<c>nodeMap[i]</c> is the id node <c>i</c> is
/// renamed to): every <see cref="NodeId"/> inside the value is hashed as its image. That is how a
/// search compares states up to a permutation of node ids without rewriting them. Positions are
/// not renamed: a protocol that keeps per-node data in an array indexed by node number is not
/// symmetric in this sense, and must not declare itself so.
/// </remarks>
public static class Fingerprint
{
    internal const ulong Seed = 0x27D4EB2F165667C5UL;
    internal const ulong NullHash = 0x6E756C6C5F5F5F5FUL;
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong SetSeed = Seed;
    private const ulong DictionarySeed = Seed ^ 0xD1C7UL;

    /// <summary>The fingerprint of <paramref name="value"/>.</summary>
    public static ulong Of<T>(T value) => Hasher<T>.Hash(value, null);

    /// <summary>The fingerprint of <paramref name="value"/> with every node id renamed by <paramref name="nodeMap"/>.</summary>
    public static ulong Of<T>(T value, int[]? nodeMap) => Hasher<T>.Hash(value, nodeMap);

    /// <summary>The fingerprint of a value whose static type says nothing (dispatches on its runtime type).</summary>
    public static ulong OfObject(object? value, int[]? nodeMap = null) =>
        value is null ? NullHash : RuntimeHashers.For(value.GetType())(value, nodeMap);

    /// <summary>Folds <paramref name="value"/> into <paramref name="hash"/> (order matters).</summary>
    public static ulong Mix(ulong hash, ulong value) => BitOperations.RotateLeft(hash + (value * Prime2), 31) * Prime1;

    /// <summary>The final avalanche (murmur3's fmix64): spreads every input bit over the result, so sums of finished hashes are good multiset hashes.</summary>
    public static ulong Finish(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCDUL;
        hash ^= hash >> 33;
        hash *= 0xC4CEB9FE1A85EC53UL;
        hash ^= hash >> 33;
        return hash;
    }

    internal static ulong OfString(string? text)
    {
        if (text is null) return NullHash;
        var hash = Seed ^ (ulong)text.Length;
        var span = text.AsSpan();
        var i = 0;
        for (; i + 4 <= span.Length; i += 4)
            hash = Mix(hash, span[i] | ((ulong)span[i + 1] << 16) | ((ulong)span[i + 2] << 32) | ((ulong)span[i + 3] << 48));
        for (; i < span.Length; i++) hash = Mix(hash, span[i]);
        return Finish(hash);
    }

    internal static ulong OfNode(NodeId node, int[]? nodeMap)
    {
        var value = node.Value;
        if (nodeMap is not null && (uint)value < (uint)nodeMap.Length) value = nodeMap[value];
        return Mix(0x4E6F6465UL, (ulong)(uint)value);
    }

    internal static ulong Ordered<T>(ImmutableArray<T> items, int[]? nodeMap)
    {
        if (items.IsDefault) return NullHash;
        var hash = Seed;
        foreach (var item in items) hash = Mix(hash, Hasher<T>.Hash(item, nodeMap));
        return Mix(hash, (ulong)items.Length);
    }

    internal static ulong OrderedArray<T>(T[]? items, int[]? nodeMap)
    {
        if (items is null) return NullHash;
        var hash = Seed;
        foreach (var item in items) hash = Mix(hash, Hasher<T>.Hash(item, nodeMap));
        return Mix(hash, (ulong)items.Length);
    }

    internal static ulong OrderedList<T>(ImmutableList<T>? items, int[]? nodeMap)
    {
        if (items is null) return NullHash;
        var hash = Seed;
        foreach (var item in items) hash = Mix(hash, Hasher<T>.Hash(item, nodeMap));
        return Mix(hash, (ulong)items.Count);
    }

    internal static ulong OrderedEnumerable<T>(IEnumerable<T>? items, int[]? nodeMap)
    {
        if (items is null) return NullHash;
        var hash = Seed;
        var count = 0UL;
        foreach (var item in items)
        {
            hash = Mix(hash, Hasher<T>.Hash(item, nodeMap));
            count++;
        }

        return Mix(hash, count);
    }

    // Sets and dictionaries, sorted or not, hash as sets: under a node map a sorted set of node
    // ids would enumerate in another order than the renamed set it stands for.
    internal static ulong Unordered<T>(IEnumerable<T>? items, int[]? nodeMap)
    {
        if (items is null) return NullHash;
        var hash = new UnorderedHash(SetSeed);
        foreach (var item in items) hash.Add(Hasher<T>.Hash(item, nodeMap));
        return hash.Result;
    }

    internal static ulong Entries<TKey, TValue>(IEnumerable<KeyValuePair<TKey, TValue>>? entries, int[]? nodeMap)
    {
        if (entries is null) return NullHash;
        var hash = new UnorderedHash(DictionarySeed);
        foreach (var (key, value) in entries) hash.Add(Entry(key, value, nodeMap));
        return hash.Result;
    }

    // The immutable collections hash through their struct enumerators: enumerated as an
    // IEnumerable, each would box one per hash, and node states and ghosts are hashed on every
    // transition. Same hashes as Unordered and Entries.
    internal static ulong ImmutableHashSetItems<T>(ImmutableHashSet<T>? items, int[]? nodeMap)
    {
        if (items is null) return NullHash;
        var hash = new UnorderedHash(SetSeed);
        foreach (var item in items) hash.Add(Hasher<T>.Hash(item, nodeMap));
        return hash.Result;
    }

    internal static ulong ImmutableSortedSetItems<T>(ImmutableSortedSet<T>? items, int[]? nodeMap)
    {
        if (items is null) return NullHash;
        var hash = new UnorderedHash(SetSeed);
        foreach (var item in items) hash.Add(Hasher<T>.Hash(item, nodeMap));
        return hash.Result;
    }

    internal static ulong ImmutableDictionaryEntries<TKey, TValue>(ImmutableDictionary<TKey, TValue>? entries, int[]? nodeMap)
        where TKey : notnull
    {
        if (entries is null) return NullHash;
        var hash = new UnorderedHash(DictionarySeed);
        foreach (var (key, value) in entries) hash.Add(Entry(key, value, nodeMap));
        return hash.Result;
    }

    private static ulong Entry<TKey, TValue>(TKey key, TValue value, int[]? nodeMap) =>
        Mix(Hasher<TKey>.Hash(key, nodeMap), Hasher<TValue>.Hash(value, nodeMap));

    internal static ulong OfNullable<T>(T? value, int[]? nodeMap) where T : struct =>
        value.HasValue ? Mix(0x5EUL, Hasher<T>.Hash(value.GetValueOrDefault(), nodeMap)) : NullHash;

    internal static ulong TypeHash(Type type) => OfString(type.FullName ?? type.Name);

    /// <summary>A multiset's hash: the sum of its items' finished hashes (so any order gives the same), then the count.</summary>
    private struct UnorderedHash(ulong seed)
    {
        private ulong _sum;
        private ulong _count;

        public void Add(ulong itemHash)
        {
            _sum += Finish(itemHash);
            _count++;
        }

        public readonly ulong Result => Mix(Mix(seed, _sum), _count);
    }

    /// <summary>One compiled hasher per static type.</summary>
    internal static class Hasher<T>
    {
        public static readonly Func<T, int[]?, ulong> Hash = HasherBuilder.Build<T>();
    }

    /// <summary>Hashers by runtime type, for fields whose static type is abstract, an interface or <see cref="object"/>.</summary>
    private static class RuntimeHashers
    {
        private static readonly ConcurrentDictionary<Type, Func<object, int[]?, ulong>> _byType = new();
        private static readonly MethodInfo _make = typeof(RuntimeHashers).GetMethod(nameof(Make), BindingFlags.NonPublic | BindingFlags.Static)!;

        public static Func<object, int[]?, ulong> For(Type type) =>
            _byType.GetOrAdd(type, t => (Func<object, int[]?, ulong>)_make.MakeGenericMethod(t).Invoke(null, null)!);

        private static Func<object, int[]?, ulong> Make<T>()
        {
            var hash = Hasher<T>.Hash;
            return (value, map) => hash((T)value, map);
        }
    }

    private static class HasherBuilder
    {
        public static Func<T, int[]?, ulong> Build<T>()
        {
            var type = typeof(T);
            if (type == typeof(string)) return (Func<T, int[]?, ulong>)(object)new Func<string?, int[]?, ulong>((s, _) => OfString(s));
            if (type == typeof(NodeId)) return (Func<T, int[]?, ulong>)(object)new Func<NodeId, int[]?, ulong>(OfNode);
            if (type == typeof(bool)) return (Func<T, int[]?, ulong>)(object)new Func<bool, int[]?, ulong>((b, _) => b ? 0xB1UL : 0xB0UL);
            if (type == typeof(double)) return (Func<T, int[]?, ulong>)(object)new Func<double, int[]?, ulong>((d, _) => (ulong)BitConverter.DoubleToInt64Bits(d));
            if (type == typeof(float)) return (Func<T, int[]?, ulong>)(object)new Func<float, int[]?, ulong>((f, _) => (ulong)BitConverter.SingleToInt32Bits(f));
            if (type == typeof(decimal)) return (Func<T, int[]?, ulong>)(object)new Func<decimal, int[]?, ulong>((m, _) => OfString(m.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (type == typeof(object) || type.IsInterface || (type.IsClass && !type.IsSealed && !type.IsArray))
                return (value, map) => value is null ? NullHash : RuntimeHashers.For(value.GetType())(value, map);
            if (typeof(Delegate).IsAssignableFrom(type) || typeof(MemberInfo).IsAssignableFrom(type) || type.IsPointer)
                return (_, _) => 0xDE1UL;

            var value = Expression.Parameter(type, "value");
            var map = Expression.Parameter(typeof(int[]), "map");
            var body = Body(type, value, map);
            return Expression.Lambda<Func<T, int[]?, ulong>>(body, value, map).Compile();
        }

        private static Expression Body(Type type, ParameterExpression value, ParameterExpression map)
        {
            if (type.IsPrimitive || type.IsEnum)
            {
                var integral = type.IsEnum ? Expression.Convert(value, Enum.GetUnderlyingType(type)) : (Expression)value;
                return integral.Type == typeof(ulong) ? integral : Expression.Convert(Expression.Convert(integral, typeof(long)), typeof(ulong));
            }

            if (Nullable.GetUnderlyingType(type) is { } underlying)
                return Call(nameof(OfNullable), [underlying], value, map);
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
                return Call(nameof(Ordered), type.GetGenericArguments(), value, map);
            if (type.IsArray && type.GetArrayRank() == 1)
                return Call(nameof(OrderedArray), [type.GetElementType()!], value, map);
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableList<>))
                return Call(nameof(OrderedList), type.GetGenericArguments(), value, map);
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableDictionary<,>))
                return Call(nameof(ImmutableDictionaryEntries), type.GetGenericArguments(), value, map);
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableHashSet<>))
                return Call(nameof(ImmutableHashSetItems), type.GetGenericArguments(), value, map);
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableSortedSet<>))
                return Call(nameof(ImmutableSortedSetItems), type.GetGenericArguments(), value, map);
            if (Implements(type, typeof(IReadOnlyDictionary<,>)) is { } dictionary)
                return Call(nameof(Entries), dictionary.GetGenericArguments(), value, map);
            if (Implements(type, typeof(IDictionary<,>)) is { } mutableDictionary)
                return Call(nameof(Entries), mutableDictionary.GetGenericArguments(), value, map);
            if ((Implements(type, typeof(IReadOnlySet<>)) ?? Implements(type, typeof(ISet<>))) is { } set)
                return Call(nameof(Unordered), set.GetGenericArguments(), value, map);
            if (Implements(type, typeof(IEnumerable<>)) is { } sequence)
                return Call(nameof(OrderedEnumerable), sequence.GetGenericArguments(), value, map);

            return Composite(type, value, map);
        }

        private static Expression Composite(Type type, ParameterExpression value, ParameterExpression map)
        {
            Expression hash = Expression.Constant(TypeHash(type));
            var mix = typeof(Fingerprint).GetMethod(nameof(Mix))!;
            foreach (var field in InstanceFields(type))
            {
                var hasher = typeof(Hasher<>).MakeGenericType(field.FieldType).GetField(nameof(Hasher<int>.Hash))!;
                var fieldHash = Expression.Invoke(Expression.Field(null, hasher), Expression.Field(value, field), map);
                hash = Expression.Call(mix, hash, fieldHash);
            }

            if (type.IsValueType) return hash;
            return Expression.Condition(Expression.ReferenceEqual(value, Expression.Constant(null, type)), Expression.Constant(NullHash), hash);
        }

        private static MethodCallExpression Call(string helper, Type[] arguments, Expression value, ParameterExpression map)
        {
            var method = typeof(Fingerprint).GetMethod(helper, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(arguments);
            var parameter = method.GetParameters()[0].ParameterType;
            return Expression.Call(method, parameter == value.Type ? value : Expression.Convert(value, parameter), map);
        }

        private static Type? Implements(Type type, Type generic)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == generic) return type;
            return type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic);
        }

        private static IEnumerable<FieldInfo> InstanceFields(Type type)
        {
            var fields = new List<FieldInfo>();
            for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
                fields.AddRange(t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));

            // A record's EqualityContract is a property, not a field; caches a type keeps for speed
            // (lazily computed hashes, say) would make equal values differ, so fields whose name
            // says they are a cache are skipped.
            return fields
                .Where(f => !f.Name.Contains("cache", StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f.DeclaringType!.FullName, StringComparer.Ordinal)
                .ThenBy(f => f.Name, StringComparer.Ordinal);
        }
    }
}
