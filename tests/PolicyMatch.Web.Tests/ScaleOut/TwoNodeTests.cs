using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Tests.Authoring;
using PolicyMatch.Web.Tests.Infrastructure;
using PolicyMatch.Web.Tests.Notices;

namespace PolicyMatch.Web.Tests.ScaleOut;

/// <summary>
/// Two portal processes (node A and node B) on one PostgreSQL database, each running a Hangfire
/// server, as a deployment with several web nodes behind a load balancer has them. The in-process
/// <see cref="Portal"/> (scheduler off) creates the database and the fixtures and reads the results.
/// </summary>
public sealed class TwoNodes : IAsyncLifetime
{
    public Portal Portal { get; } = new();

    public PortalProcess A { get; private set; } = null!;

    public PortalProcess B { get; private set; } = null!;

    public string MailA => Path.Combine(Portal.Directory, "mail-a");

    public string MailB => Path.Combine(Portal.Directory, "mail-b");

    public async Task InitializeAsync()
    {
        _ = Portal.Services; // migrations and seeds, before either node starts
        A = PortalProcess.Start(NodeSettings("a"));
        B = PortalProcess.Start(NodeSettings("b"));
        await Task.WhenAll(A.WaitUntilServingAsync(TimeSpan.FromSeconds(60)), B.WaitUntilServingAsync(TimeSpan.FromSeconds(60)));
    }

    private Dictionary<string, string> NodeSettings(string node) => new(Portal.Database.Environment)
    {
        // Each node has a home of its own, as on separate machines: nothing is shared through the file
        // system (ASP.NET Core's default key ring lives under $HOME), only through the database.
        ["HOME"] = Directory.CreateDirectory(Path.Combine(Portal.Directory, "home-" + node)).FullName,
        // No SMTP: each node writes the emails it sends to its own folder, so who sent what is visible.
        ["Mail__PickupDirectory"] = Path.Combine(Portal.Directory, "mail-" + node),
        ["Portal__BaseUrl"] = "http://nodes.test",
        ["Jobs__Enabled"] = "true",
        ["Jobs__FanOutInterval"] = "00:00:01",
        ["Jobs__DispatchInterval"] = "00:00:01",
        ["Catalog__RefreshInterval"] = "00:00:01",
    };

    public Task DisposeAsync()
    {
        A?.Dispose();
        B?.Dispose();
        Portal.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class TwoNodeTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    private Portal Portal => nodes.Portal;

    /// <summary>
    /// A browser-like client of one node. Clients sharing a cookie jar are one browser behind a load
    /// balancer: cookies do not depend on the port, so what node A sets is sent to node B.
    /// </summary>
    private static HttpClient ClientOf(PortalProcess node, CookieContainer jar) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = jar }) { BaseAddress = node.Url };

    private static async Task<Session> SignInOnAsync(PortalProcess node, CookieContainer jar, long id, string email)
    {
        var session = new Session(ClientOf(node, jar), id, email);
        var response = await session.PostFormAsync("/account/login", "/account/login", [new("Email", email), new("Password", Sessions.Password)]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return session;
    }

    [PostgresFact]
    public async Task A_login_on_node_A_is_valid_on_node_B_and_a_form_token_from_B_is_accepted_by_A()
    {
        var (id, email) = await Portal.CreateUserAsync(Roles.Company, "两节点用户");
        var jar = new CookieContainer();
        using var onA = await SignInOnAsync(nodes.A, jar, id, email);
        Assert.Contains(jar.GetAllCookies(), c => c.Name == "PolicyMatch.Auth");

        // Node B never saw this user sign in: only the shared key ring lets it read A's cookie.
        using var stranger = new Session(ClientOf(nodes.B, new CookieContainer()), 0, "");
        Assert.Equal(HttpStatusCode.Redirect, (await stranger.Client.GetAsync("/account/password")).StatusCode);
        using var onB = new Session(ClientOf(nodes.B, jar), id, email);
        var page = await onB.PageAsync("/account/password");
        Assert.Contains("两节点用户", page.Body!.TextContent);

        // The antiforgery token of a form served by B is valid on A: signing out there works...
        var token = page.QuerySelector("form[action='/account/logout'] input[name=__RequestVerificationToken]")?.GetAttribute("value");
        Assert.NotNull(token);
        var logout = await onA.Client.PostAsync("/account/logout", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        // ...and signs the browser out of both nodes.
        Assert.Equal(HttpStatusCode.Redirect, (await onB.Client.GetAsync("/account/password")).StatusCode);
    }

    [PostgresFact]
    public async Task A_notice_is_fanned_out_once_and_each_email_sent_by_one_node_only()
    {
        const int recipients = 40;
        var run = Guid.NewGuid().ToString("N")[..8];
        var addresses = await Portal.TongzhouRecipientsAsync(recipients, "nodes", run);
        var noticeId = await Portal.ScheduleAsync($"两节点通知 {run}", DateTimeOffset.UtcNow.AddSeconds(-1));
        var key = "notice:" + noticeId;

        // Both servers poll every second; the recurring fan-out runs on one of them, then the dispatch.
        await WaitForAsync(async () => await Portal.ScalarAsync<long>("""
            SELECT COUNT(*) FROM notice_deliveries d JOIN notice_messages m ON m.id = d.message_id
            WHERE m.key = @Key AND d.channel = 'email' AND d.status = 'sent'
            """, new { Key = key }) == recipients, TimeSpan.FromSeconds(60));

        // Both nodes are Hangfire servers on the one storage (the hangfire schema of the shared database).
        Assert.Equal(2, await Portal.ScalarAsync<long>("SELECT COUNT(*) FROM hangfire.server"));
        // One message, one inbox and one email delivery per recipient, one published notice.
        Assert.Equal(1, await Portal.ScalarAsync<long>("SELECT COUNT(*) FROM notice_messages WHERE key = @Key", new { Key = key }));
        Assert.Equal(1, await Portal.ScalarAsync<long>("SELECT COUNT(*) FROM notices WHERE id = @Id", new { Id = noticeId }));
        Assert.Equal(recipients, await Portal.ScalarAsync<long>("SELECT recipients FROM notice_schedules WHERE id = @Id", new { Id = noticeId }));
        var deliveries = await Portal.DeliveriesAsync(key);
        Assert.Equal(recipients, deliveries.Count(d => d.Channel == "inbox"));
        var emailIds = deliveries.Where(d => d.Channel == "email").Select(d => d.Id).Order().ToList();
        Assert.Equal(recipients, emailIds.Count);

        // The emails written by the two nodes together: each delivery exactly once.
        var written = EmailedDeliveries(nodes.MailA).Concat(EmailedDeliveries(nodes.MailB)).Where(emailIds.Contains).ToList();
        Assert.Equal(emailIds, written.Order().ToList());
        Assert.Equal(addresses.Count, written.Count);
    }

    [PostgresFact]
    public async Task A_measure_published_on_node_A_is_matched_on_node_B()
    {
        var id = AdminForms.Slug("two-nodes");
        var profile = new JsonObject { ["profile"] = new JsonObject { ["district"] = "海淀区", ["employees"] = 120 } };
        using var b = new HttpClient { BaseAddress = nodes.B.Url };
        Assert.DoesNotContain(id, await MeasureIdsAsync(b, profile)); // B has the catalog loaded and cached

        var (adminId, adminEmail) = await Portal.CreateUserAsync(Roles.Admin, "两节点管理员");
        using (var admin = await SignInOnAsync(nodes.A, new CookieContainer(), adminId, adminEmail))
        {
            var saved = await admin.SaveAsync("/admin/measures/new", "/admin/measures/new", await AdminForms.NewMeasureAsync(Portal, id, "两节点发布测试", minEmployees: 100));
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            var published = await admin.PostFormAsync($"/admin/measures/{id}/preview", $"/admin/measures/{id}/publish", [new("version", "1")]);
            Assert.Equal($"/admin/measures/{id}/preview?published=1", published.Headers.Location!.OriginalString);
        }

        // B reloads when it sees the catalog version move (Catalog:RefreshInterval, 1 s here).
        JsonObject? result = null;
        await WaitForAsync(async () =>
        {
            var body = await (await b.PostAsJsonAsync("/api/match", profile)).Content.ReadFromJsonAsync<JsonObject>();
            result = body!["results"]!.AsArray().Select(r => r!.AsObject()).FirstOrDefault(r => (string?)r["measure_id"] == id);
            return result is not null;
        }, TimeSpan.FromSeconds(15));
        Assert.Equal("eligible", (string?)result!["outcome"]);
        Assert.Equal("两节点发布测试", (string?)result["title"]);
    }

    private static async Task<IReadOnlyList<string>> MeasureIdsAsync(HttpClient client, JsonObject body)
    {
        var response = await client.PostAsJsonAsync("/api/match", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonObject>();
        return json!["results"]!.AsArray().Select(r => (string)r!["measure_id"]!).ToList();
    }

    /// <summary>The delivery ids in the X-PolicyMatch-Delivery header of each .eml file in the folder.</summary>
    private static IEnumerable<long> EmailedDeliveries(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.eml")
                .Select(f => Regex.Match(File.ReadAllText(f), @"^X-PolicyMatch-Delivery:\s*(\d+)", RegexOptions.Multiline))
                .Where(m => m.Success)
                .Select(m => long.Parse(m.Groups[1].Value))
            : [];

    private Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout) =>
        Eventually.UntilAsync(condition, timeout,
            elapsed => $"gave up after {elapsed.TotalSeconds:0} s\nnode A:\n{nodes.A.Log(2000)}\nnode B:\n{nodes.B.Log(2000)}",
            giveUp: () => nodes.A.HasExited || nodes.B.HasExited, pollMilliseconds: 200);
}
