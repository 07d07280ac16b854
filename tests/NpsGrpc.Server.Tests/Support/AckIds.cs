using System.Buffers.Text;
using System.Text;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>Ack ids made by hand, in the server's format, for deliveries that do not exist.</summary>
internal static class AckIds
{
    public static string Make(string product, string group, string entry, string consumer, int attempt) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"f1|{product}|{group}|{entry}|{consumer}|{attempt}"));
}
