using System.Buffers;
using System.Buffers.Binary;

namespace Zakaz.Storage.RowBinary;

/// <summary>An append-only buffer of RowBinary values, reused chunk after chunk: <see cref="Reset"/> keeps the memory.</summary>
public sealed class RowBinaryWriter : IDisposable
{
    private byte[] _buffer;
    private int _length;

    public RowBinaryWriter(int initialCapacity = 1 << 16) => _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public int Length => _length;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public void Reset() => _length = 0;

    public void WriteUInt8(byte value) => Reserve(1)[0] = value;

    public void WriteInt8(sbyte value) => Reserve(1)[0] = (byte)value;

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16LittleEndian(Reserve(2), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

    public void WriteInt128(Int128 value) => BinaryPrimitives.WriteInt128LittleEndian(Reserve(16), value);

    public void WriteFloat32(float value) => BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), value);

    public void WriteFloat64(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), value);

    public void WriteVarUInt(ulong value)
    {
        while (value >= 0x80)
        {
            Reserve(1)[0] = (byte)(value | 0x80);
            value >>= 7;
        }
        Reserve(1)[0] = (byte)value;
    }

    public void WriteString(string value)
    {
        // Most strings are short: at most 3 UTF-8 bytes per char keeps them under 128 bytes, so the
        // length is one byte and the text can be encoded straight after it in a single pass.
        if (value.Length <= 42)
        {
            var span = Reserve(1 + value.Length * 3);
            var written = Encoding.UTF8.GetBytes(value, span[1..]);
            span[0] = (byte)written;
            _length -= value.Length * 3 - written;
            return;
        }
        var count = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt((ulong)count);
        Encoding.UTF8.GetBytes(value, Reserve(count));
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarUInt((ulong)value.Length);
        value.CopyTo(Reserve(value.Length));
    }

    public void WriteFixedString(string value, int length)
    {
        var span = Reserve(length);
        span.Clear();
        if (Encoding.UTF8.GetByteCount(value) > length)
        {
            throw new ArgumentException($"'{value}' is longer than FixedString({length}).");
        }
        Encoding.UTF8.GetBytes(value, span);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Grow(count);
        }
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    private void Grow(int count)
    {
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
        _buffer.AsSpan(0, _length).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }
}
