using System.Globalization;
using NpsGrpc.Core.Security;

namespace NpsGrpc.Testing;

/// <summary>A test server's API keys as configuration (<c>Authentication:ApiKeys</c>), written from the keys themselves.</summary>
public static class ApiKeySettings
{
    /// <summary>
    /// Adds each key to <paramref name="settings"/> as the operator configures it: its name, the SHA-256 of the key
    /// (never the key) and its scopes, numbered from the first free index.
    /// </summary>
    public static Dictionary<string, string?> WithApiKeys(this Dictionary<string, string?> settings, params (string Name, string Key, string[] Scopes)[] keys)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(keys);
        var first = 0;
        while (settings.ContainsKey(Prefix(first) + "Name"))
        {
            first++;
        }

        for (var i = 0; i < keys.Length; i++)
        {
            var prefix = Prefix(first + i);
            settings[prefix + "Name"] = keys[i].Name;
            settings[prefix + "Sha256"] = ApiKeyRing.HashOf(keys[i].Key);
            for (var s = 0; s < keys[i].Scopes.Length; s++)
            {
                settings[prefix + "Scopes:" + s.ToString(CultureInfo.InvariantCulture)] = keys[i].Scopes[s];
            }
        }

        return settings;
    }

    private static string Prefix(int index) => $"Authentication:ApiKeys:{index.ToString(CultureInfo.InvariantCulture)}:";
}
