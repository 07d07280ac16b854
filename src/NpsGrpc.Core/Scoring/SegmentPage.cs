using System.Buffers.Text;
using System.Globalization;
using System.Text;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Scoring;

/// <summary>How ListSegments sorts.</summary>
public enum SegmentOrder
{
    Total,
    Nps,
}

/// <summary>
/// One page of a product's segment labels (AIP-158). The token carries the product, the order and the offset,
/// so it cannot be replayed against another listing.
/// </summary>
public sealed class SegmentPage
{
    public const int DefaultSize = 50;
    public const int MaxSize = 1000;

    private readonly string _productId;
    private readonly SegmentOrder _order;
    private readonly int _offset;
    private readonly int _size;

    private SegmentPage(string productId, SegmentOrder order, int offset, int size)
    {
        _productId = productId;
        _order = order;
        _offset = offset;
        _size = size;
    }

    public static FieldViolation? TryParse(string productId, SegmentOrder order, int pageSize, string pageToken, out SegmentPage page)
    {
        ArgumentNullException.ThrowIfNull(pageToken);
        page = new SegmentPage(productId, order, 0, DefaultSize);
        if (pageSize < 0)
        {
            return new FieldViolation("page_size", $"page_size cannot be negative; got {pageSize}.");
        }

        var size = pageSize == 0 ? DefaultSize : Math.Min(pageSize, MaxSize);
        var offset = 0;
        if (pageToken.Length > 0)
        {
            var parts = Decode(pageToken)?.Split('|');
            if (parts is not ["v1", var tokenOrder, var tokenOffset, var tokenProduct]
                || !int.TryParse(tokenOffset, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            {
                return new FieldViolation("page_token", "page_token is not a token this service issued; pass next_page_token unchanged.");
            }

            if (tokenProduct != productId || tokenOrder != order.ToString())
            {
                return new FieldViolation("page_token", "page_token belongs to a listing with another product_id or order_by.");
            }
        }

        page = new SegmentPage(productId, order, offset, size);
        return null;
    }

    /// <summary>Sorts every label, returns this page of them and the token of the next page (empty on the last).</summary>
    public (IReadOnlyList<(SegmentLabel Label, NpsScore Score)> Items, string NextPageToken) Take(IEnumerable<(SegmentLabel Label, NpsScore Score)> all)
    {
        var sorted = _order == SegmentOrder.Nps
            ? all.OrderByDescending(item => item.Score.Nps ?? double.NegativeInfinity).ThenByDescending(item => item.Score.Total)
            : all.OrderByDescending(item => item.Score.Total);
        var ordered = sorted.ThenBy(item => item.Label.ToString(), StringComparer.Ordinal).ToList();

        var items = ordered.Skip(_offset).Take(_size).ToList();
        var next = _offset + _size < ordered.Count ? Encode($"v1|{_order}|{_offset + _size}|{_productId}") : string.Empty;
        return (items, next);
    }

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private static string? Decode(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
