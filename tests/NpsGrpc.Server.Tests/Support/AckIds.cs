using System.Buffers.Text;
using System.Text;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>Ack ids made by hand, in the server's format, for deliveries that do not exist.</summary>
internal static class AckIds
{
    /// <summary>The same ack id, naming <paramref name="product"/> instead of its own product.</summary>
    public static string WithProduct(string ackId, string product)
    {
        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(ackId)).Split('|');
        return Make(product, parts[2], parts[3], parts[4], int.Parse(parts[5], System.Globalization.CultureInfo.InvariantCulture));
    }

    public static string Make(string product, string group, string entry, string consumer, int attempt) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"f1|{product}|{group}|{entry}|{consumer}|{attempt}"));
}
