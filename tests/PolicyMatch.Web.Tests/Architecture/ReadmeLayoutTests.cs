using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Architecture;

/// <summary>Issue 13 item 7: the README's layout names every folder, so a newcomer finds where a thing lives.</summary>
public sealed class ReadmeLayoutTests
{
    private static readonly string[] Trees = ["src", "tests", "seeds", "wwwroot", ".ci"];

    /// <summary>Build output, installed packages and test results are not the project's folders.</summary>
    private static readonly string[] NotOurs = ["bin", "obj", "node_modules", "TestResults"];

    private const string Web = "src/PolicyMatch.Web/";

    [Fact]
    public void Every_folder_is_named_in_the_README_layout()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        var start = readme.IndexOf("## Layout", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no Layout section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var layout = readme[start..(end < 0 ? readme.Length : end)];

        var missing = Trees
            .SelectMany(tree => Directory.EnumerateDirectories(Path.Combine(Repo.Root, tree), "*", SearchOption.AllDirectories).Prepend(Path.Combine(Repo.Root, tree)))
            .Select(d => Path.GetRelativePath(Repo.Root, d).Replace('\\', '/'))
            .Where(d => !d.Split('/').Any(NotOurs.Contains))
            .Where(d => !Named(layout, d))
            .ToList();
        Assert.Empty(missing);
    }

    /// <summary>A folder is named by its path (tests/load/), inside the web project by its path there (Features/Notices/),
    /// or, for the web tests' feature folders, on the line that lists them (Accounts/  Admin/ …).</summary>
    private static bool Named(string layout, string folder) =>
        layout.Contains(folder + "/", StringComparison.Ordinal)
        || (folder.StartsWith(Web, StringComparison.Ordinal) && layout.Contains(folder[Web.Length..] + "/", StringComparison.Ordinal))
        || (folder.StartsWith("tests/PolicyMatch.Web.Tests/", StringComparison.Ordinal) && folder.Count(c => c == '/') == 2
            && layout.Contains("  " + folder.Split('/')[^1] + "/", StringComparison.Ordinal));
}
