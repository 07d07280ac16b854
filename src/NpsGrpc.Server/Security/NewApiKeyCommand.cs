using NpsGrpc.Core.Security;

namespace NpsGrpc.Server.Security;

/// <summary>
/// <c>new-api-key</c>: prints a new key and the hash that configures it, then exits before any host is built, so
/// it needs no configuration, Redis or port. Standard output is exactly the two lines, for a script to read; what
/// to do with each goes to standard error.
/// </summary>
internal static class NewApiKeyCommand
{
    public const string Verb = "new-api-key";

    public static bool IsRequested(string[] args) => args is [Verb, ..];

    public static int Run(string[] args, TextWriter output, TextWriter guidance)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(guidance);
        if (args.Length != 1)
        {
            guidance.WriteLine($"{Verb} takes no arguments; it prints a new key and its hash.");
            return 2;
        }

        var key = ApiKeyRing.NewKey();
        output.WriteLine(key);
        output.WriteLine(ApiKeyRing.HashOf(key));
        guidance.WriteLine("The first line is the key: give it to the calling service only, which sends it as 'authorization: Bearer <key>'.");
        guidance.WriteLine("The second is its hash: put it in the server's configuration, Authentication:ApiKeys:<n>:Sha256, beside a Name and Scopes.");
        return 0;
    }
}
