namespace NpsGrpc.Testing;

/// <summary>Locates files of this repository and the tools the test run installs.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The buf CLI that <c>.ci/test</c> installs from npm, or one on PATH.</summary>
    public static string Buf()
    {
        var local = Path.Combine(Root, ".ci", "node_modules", ".bin", "buf");
        if (File.Exists(local))
        {
            return local;
        }

        return FindOnPath("buf")
            ?? throw new InvalidOperationException("buf is not installed: run `npm install --prefix .ci --no-package-lock` (bash .ci/test does it).");
    }

    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NpsGrpc.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (NpsGrpc.sln) above " + AppContext.BaseDirectory);
    }
}
