using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace OrleansNodes.Simulation;

/// <summary>
/// A hash of a value's structure, stable across processes: records, structs and classes by
/// their fields, sequences by their elements in order, dictionaries and sets by their entries in
/// any order, strings by their characters. Records' own <c>GetHashCode</c> cannot serve: it
/// compares <see cref="ImmutableArray{T}"/> fields by reference and <c>string.GetHashCode</c> is
/// randomized per process. Reflection makes it slow; the simulator uses it only for the
/// determinism self-check and for trace diffs, never per step of a normal run.
/// </summary>
public static class StructuralHash
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;
    private const int MaxDepth = 48;

    private static readonly ConcurrentDictionary<Type, Shape> _shapes = new();

    /// <summary>The structural hash of <paramref name="value"/>.</summary>
    public static ulong Of(object? value)
    {
        var hash = Offset;
        Add(ref hash, value, 0);
        return hash;
    }

    /// <summary>True when <paramref name="left"/> and <paramref name="right"/> have the same structure (by hash).</summary>
    public static bool AreEqual(object? left, object? right) =>
        ReferenceEquals(left, right) || Of(left) == Of(right);

    private static void Mix(ref ulong hash, ulong value)
    {
        for (var i = 0; i < 8; i++)
        {
            hash ^= (byte)(value >> (i * 8));
            hash *= Prime;
        }
    }

    private static void Add(ref ulong hash, object? value, int depth)
    {
        if (value is null)
        {
            Mix(ref hash, 0x6E756C6CUL);
            return;
        }

        if (depth > MaxDepth)
        {
            Mix(ref hash, 0xDEE9UL);
            return;
        }

        var shape = _shapes.GetOrAdd(value.GetType(), Shape.Of);
        Mix(ref hash, shape.TypeHash);
        switch (shape.Kind)
        {
            case ShapeKind.String:
                foreach (var c in (string)value) Mix(ref hash, c);
                break;
            case ShapeKind.Primitive:
                Mix(ref hash, PrimitiveBits(value));
                break;
            case ShapeKind.Unordered:
                AddUnordered(ref hash, (IEnumerable)value, depth);
                break;
            case ShapeKind.Ordered:
                if (shape.IsDefault?.Invoke(value) == true) break;
                var count = 0UL;
                foreach (var item in (IEnumerable)value)
                {
                    Add(ref hash, item, depth + 1);
                    count++;
                }

                Mix(ref hash, count);
                break;
            case ShapeKind.Opaque:
                break;
            default:
                foreach (var field in shape.Fields) Add(ref hash, field.GetValue(value), depth + 1);
                break;
        }
    }

    private static void AddUnordered(ref ulong hash, IEnumerable items, int depth)
    {
        // Dictionaries and hash sets enumerate in an order that depends on (randomized) hash
        // codes, so their entries are combined with a commutative sum.
        var sum = 0UL;
        var count = 0UL;
        foreach (var item in items)
        {
            var itemHash = Offset;
            if (item is DictionaryEntry entry)
            {
                Add(ref itemHash, entry.Key, depth + 1);
                Add(ref itemHash, entry.Value, depth + 1);
            }
            else
            {
                Add(ref itemHash, item, depth + 1);
            }

            sum += itemHash;
            count++;
        }

        Mix(ref hash, sum);
        Mix(ref hash, count);
    }

    private static ulong PrimitiveBits(object value) => value switch
    {
        bool b => b ? 1UL : 0UL,
        char c => c,
        float f => (ulong)BitConverter.SingleToInt32Bits(f),
        double d => (ulong)BitConverter.DoubleToInt64Bits(d),
        decimal m => (ulong)m.GetHashCode(),
        Enum e => Convert.ToUInt64(e, System.Globalization.CultureInfo.InvariantCulture),
        IntPtr or UIntPtr => 0,
        ulong u => u,
        _ => unchecked((ulong)Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
    };

    private enum ShapeKind
    {
        String,
        Primitive,
        Ordered,
        Unordered,
        Opaque,
        Composite,
    }

    private sealed class Shape
    {
        private Shape(ShapeKind kind, ulong typeHash, FieldInfo[] fields, Func<object, bool>? isDefault)
        {
            Kind = kind;
            TypeHash = typeHash;
            Fields = fields;
            IsDefault = isDefault;
        }

        public ShapeKind Kind { get; }

        public ulong TypeHash { get; }

        public FieldInfo[] Fields { get; }

        public Func<object, bool>? IsDefault { get; }

        public static Shape Of(Type type)
        {
            var typeHash = Offset;
            foreach (var c in type.FullName ?? type.Name) Mix(ref typeHash, c);
            if (type == typeof(string)) return new Shape(ShapeKind.String, typeHash, [], null);
            if (type.IsPrimitive || type.IsEnum || type == typeof(decimal)) return new Shape(ShapeKind.Primitive, typeHash, [], null);
            if (typeof(Delegate).IsAssignableFrom(type) || typeof(Type).IsAssignableFrom(type) || typeof(MemberInfo).IsAssignableFrom(type))
                return new Shape(ShapeKind.Opaque, typeHash, [], null);
            if (typeof(IDictionary).IsAssignableFrom(type) || type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ISet<>)))
                return new Shape(ShapeKind.Unordered, typeHash, [], null);
            if (typeof(IEnumerable).IsAssignableFrom(type))
            {
                Func<object, bool>? isDefault = null;
                if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
                {
                    var property = type.GetProperty(nameof(ImmutableArray<int>.IsDefault))!;
                    isDefault = o => (bool)property.GetValue(o)!;
                }

                return new Shape(ShapeKind.Ordered, typeHash, [], isDefault);
            }

            return new Shape(ShapeKind.Composite, typeHash, InstanceFields(type), null);
        }

        private static FieldInfo[] InstanceFields(Type type)
        {
            var fields = new List<FieldInfo>();
            for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
                fields.AddRange(t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
            return [.. fields.OrderBy(f => f.DeclaringType!.FullName, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal)];
        }
    }
}
