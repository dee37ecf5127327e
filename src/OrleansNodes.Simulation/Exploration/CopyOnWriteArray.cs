namespace OrleansNodes.Simulation.Exploration;

/// <summary>
/// One of a scratch successor's arrays: the parent state's own array, read in place, until the
/// first write copies it into a buffer the worker reuses. States are immutable once built, so a
/// successor that leaves the array alone keeps the parent's: loading a parent costs no copy, and
/// keeping a successor copies only what its action changed.
/// </summary>
internal sealed class CopyOnWriteArray<T>
{
    private readonly T[] _buffer;

    public CopyOnWriteArray(int length)
    {
        _buffer = new T[length];
        Items = _buffer;
        Written = true;
    }

    /// <summary>The current contents: the parent's array until the first write, the worker's buffer after.</summary>
    public T[] Items { get; private set; }

    /// <summary>True once the contents differ from the parent's array (they live in the buffer).</summary>
    public bool Written { get; private set; }

    public T this[int index] => Items[index];

    /// <summary>Reads <paramref name="parent"/> in place (it is never written).</summary>
    public void Load(T[] parent)
    {
        Items = parent;
        Written = false;
    }

    /// <summary>Starts from default values, as for the initial state.</summary>
    public void Clear()
    {
        Array.Clear(_buffer);
        Items = _buffer;
        Written = true;
    }

    /// <summary>The element at <paramref name="index"/>, to write; the first write copies the parent's array into the buffer.</summary>
    public ref T Write(int index)
    {
        if (!Written)
        {
            Items.AsSpan().CopyTo(_buffer);
            Items = _buffer;
            Written = true;
        }

        return ref _buffer[index];
    }

    /// <summary>The buffer, for a caller that writes every element: nothing is copied from the parent.</summary>
    public T[] Overwrite()
    {
        Items = _buffer;
        Written = true;
        return _buffer;
    }

    /// <summary>The array a kept state holds: the parent's when nothing was written, else a copy of the buffer.</summary>
    public T[] Keep() => Written ? _buffer.AsSpan().ToArray() : Items;
}
