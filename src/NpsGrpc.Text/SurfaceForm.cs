using Lucene.Net.Util;

namespace NpsGrpc.Text;

/// <summary>Default implementation of <see cref="ISurfaceForm"/>: a buffer reused token after token.</summary>
internal sealed class SurfaceForm : Lucene.Net.Util.Attribute, ISurfaceForm
{
    private char[] _buffer = new char[16];

    /// <inheritdoc />
    public char[] Buffer => _buffer;

    /// <inheritdoc />
    public int Length { get; private set; }

    /// <inheritdoc />
    public void CopyFrom(char[] source, int length)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (_buffer.Length < length)
        {
            _buffer = new char[ArrayUtil.Oversize(length, sizeof(char))];
        }

        Array.Copy(source, _buffer, length);
        Length = length;
    }

    /// <inheritdoc />
    public override void Clear() => Length = 0;

    /// <inheritdoc />
    public override void CopyTo(IAttribute target)
    {
        ArgumentNullException.ThrowIfNull(target);
        ((ISurfaceForm)target).CopyFrom(_buffer, Length);
    }
}
