using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace PolicyMatch.Browser.Tests;

/// <summary>
/// The portal on real Kestrel (loopback, a free port) with its own SQLite file, and Debian's
/// chromium driven by Playwright — never a browser that Playwright downloads.
/// </summary>
public sealed class BrowserPortal : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"policymatch-browser-{Guid.NewGuid():N}");
    private WebApplicationFactory<Program>? _factory;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The portal's services, e.g. to create a user before a flow starts.</summary>
    public IServiceProvider Services => _factory!.Services;

    /// <summary>
    /// What an administrator's approval of an incubator's evidence does, through the same repository
    /// method, so flows that add tenants can start from a verified incubator.
    /// </summary>
    public async Task VerifyIncubatorAsync(string name)
    {
        var incubators = Services.GetRequiredService<PolicyMatch.Web.Features.Incubators.IncubatorRepository>();
        var admin = await Services.GetRequiredService<PolicyMatch.Web.Features.Account.UserRepository>()
            .CreateAsync($"admin-{Guid.NewGuid():N}@example.com", "管理员", PolicyMatch.Web.Features.Account.AccountService.Hash("correct horse battery"), PolicyMatch.Web.Features.Account.Roles.Admin);
        await incubators.VerifyAsync((await incubators.FindByNameAsync(name))!.Id, admin!.Value);
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            b.UseSetting("ConnectionStrings:PolicyMatch", $"Data Source={Path.Combine(_dir, "policymatch.db")}");
            b.UseSetting("ConnectionStrings:Jobs", $"Data Source={Path.Combine(_dir, "jobs.db")}");
            b.UseSetting("Mail:PickupDirectory", Path.Combine(_dir, "mail"));
            b.UseSetting("Seeds:Directory", Path.Combine(RepoRoot(), "seeds"));
        });
        _factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().TrimEnd('/');

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PolicyMatch.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("PolicyMatch.sln not found");
    }
}
