using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace PolicyMatch.Benchmarks.Shared;

/// <summary>
/// The real portal (Program.cs's composition) in-process for a console benchmark: the given settings
/// (database, mail…), the scheduler off (the benchmark calls the services itself), the repository's
/// seeds, warnings only. Linked into each benchmark project that needs it.
/// </summary>
internal sealed class BenchPortal : WebApplicationFactory<global::Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public BenchPortal(IReadOnlyDictionary<string, string?> settings)
    {
        // WebApplicationFactory looks for the web project's content root; outside a test project, say where it is.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_POLICYMATCH_WEB", Path.Combine(RepoRoot, "src", "PolicyMatch.Web"));
        _settings = settings;
    }

    /// <summary>The repository's root: the folder holding PolicyMatch.sln above the binaries.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>(_settings)
        {
            ["Jobs:Enabled"] = "false",
            ["Seeds:Directory"] = Path.Combine(RepoRoot, "seeds"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        builder.UseEnvironment("Production");
        // Read while Program.cs registers services, before the in-memory collection is added.
        builder.UseSetting("ConnectionStrings:PolicyMatch", settings["ConnectionStrings:PolicyMatch"]);
        builder.UseSetting("Database:Provider", settings.GetValueOrDefault("Database:Provider") ?? "Sqlite");
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PolicyMatch.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("PolicyMatch.sln not found above " + AppContext.BaseDirectory);
    }
}
