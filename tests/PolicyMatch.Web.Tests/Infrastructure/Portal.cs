using System.Net;
using AngleSharp;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PolicyMatch.Web.Tests.Infrastructure;

/// <summary>
/// The real portal in-process (WebApplicationFactory) on its own new database (a SQLite file, or a
/// PostgreSQL database: see <see cref="TestDatabase"/>) and mail folder in a fresh temporary
/// directory: migrations, seeder and all, exactly as on a first start.
/// </summary>
public class Portal : WebApplicationFactory<Program>
{
    public Portal()
    {
        Database = TestDatabase.Create(Directory);
    }

    public string Directory { get; } = TempDirectory.Create("portal");

    public TestDatabase Database { get; }

    public string MailFolder => Path.Combine(Directory, "mail");

    /// <summary>Extra settings a test class needs (e.g. an import token).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>(Database.Settings)
        {
            ["Mail:PickupDirectory"] = MailFolder,
            ["Jobs:Enabled"] = "false",
            ["Seeds:Directory"] = Repo.Seeds,
            // Every test client shares one address; tests of the per-client rates set their own values.
            ["RateLimits:RulesPerMinute"] = "100000",
            ["RateLimits:LoginsPerMinute"] = "100000",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }
        // Read while Program.cs registers services, before the in-memory collection is added.
        builder.UseSetting("ConnectionStrings:PolicyMatch", settings["ConnectionStrings:PolicyMatch"]);
        builder.UseSetting("ConnectionStrings:Jobs", settings["ConnectionStrings:Jobs"]);
        builder.UseSetting("Database:Provider", settings["Database:Provider"]);
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>GETs a page and parses it; fails the test on an unexpected status.</summary>
    public async Task<IHtmlDocument> PageAsync(string url, HttpStatusCode expected = HttpStatusCode.OK, string? language = null)
    {
        using var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"GET {url}: expected {(int)expected}, got {(int)response.StatusCode}\n{html[..Math.Min(html.Length, 2000)]}");
        return await Html.ParseAsync(html);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Database.Dispose();
        TempDirectory.Delete(Directory);
    }
}

public static class Html
{
    private static readonly IBrowsingContext Context = BrowsingContext.New(Configuration.Default);

    public static async Task<IHtmlDocument> ParseAsync(string html) =>
        (IHtmlDocument)await Context.OpenAsync(r => r.Content(html));
}

public static class TempDirectory
{
    public static string Create(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"policymatch-{prefix}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            System.IO.Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finishing host: the OS temp folder is cleaned anyway.
        }
    }
}

/// <summary>Where the repository's seeds/ folder is, walking up from the test binaries.</summary>
public static class Repo
{
    public static string Root { get; } = Find();

    public static string Seeds => Path.Combine(Root, "seeds");

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PolicyMatch.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("PolicyMatch.sln not found above " + AppContext.BaseDirectory);
    }
}
