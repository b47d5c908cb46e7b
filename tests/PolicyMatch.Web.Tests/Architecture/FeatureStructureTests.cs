using System.Text.RegularExpressions;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Architecture;

/// <summary>
/// Issue 13 item 5: dependencies point one way. Infrastructure knows no feature; each feature registers
/// its own services in one Add…Feature() and Program.cs only lists them; controllers find views by their
/// feature's namespace and never name a view by path.
/// </summary>
public sealed class FeatureStructureTests
{
    private static readonly string Web = Path.Combine(Repo.Root, "src", "PolicyMatch.Web");

    private static IEnumerable<string> Sources(string under, string pattern = "*.cs") =>
        Directory.EnumerateFiles(Path.Combine(Web, under), pattern, SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [Fact]
    public void No_file_under_Infrastructure_uses_a_feature()
    {
        var features = new Regex(@"PolicyMatch\.Web\.Features|\bFeatures\.[A-Z]\w*\.", RegexOptions.Compiled);
        var offenders = Sources("Infrastructure")
            .Where(f => File.ReadAllLines(f).Any(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal) && features.IsMatch(l)))
            .Select(f => Path.GetRelativePath(Web, f))
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Each_feature_with_services_registers_them_in_one_method_and_Program_only_lists_features()
    {
        var registration = new Regex(@"public static IServiceCollection (Add\w+Feature)\(", RegexOptions.Compiled);
        var program = File.ReadAllText(Path.Combine(Web, "Program.cs"));
        foreach (var folder in Directory.EnumerateDirectories(Path.Combine(Web, "Features")))
        {
            var name = Path.GetFileName(folder);
            var methods = Sources(Path.Combine("Features", name)).SelectMany(f => registration.Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToList();
            // A folder of controllers and views only (Api, Measures, Plans, Shared) has nothing to register.
            Assert.True(methods.Count <= 1, $"{name} has {methods.Count} registration methods: {string.Join(", ", methods)}");
            if (methods.Count == 1)
            {
                Assert.Equal($"Add{name}Feature", methods[0]);
                Assert.True(File.Exists(Path.Combine(folder, $"{name}Feature.cs")), $"{name}'s registration is not in {name}Feature.cs");
                Assert.Contains($"services.{methods[0]}(", program);
            }
        }
        // Program.cs lists the platform and the features; it registers no service of its own.
        Assert.DoesNotMatch(@"\.Add(Singleton|Scoped|Transient)\b", program);
    }

    [Fact]
    public void No_controller_names_a_view_by_path()
    {
        var byPath = new Regex(@"View\(\s*""[~/]|View\(\s*\w+\s*\+", RegexOptions.Compiled);
        var offenders = Sources("Features", "*Controller.cs")
            .Where(f => byPath.IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(Web, f))
            .ToList();
        Assert.Empty(offenders);
    }
}
