using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Notices;

/// <summary>
/// The companies and people notice tests are built from. The fixture measure is a seed measure with one
/// criterion, so why a company matches is obvious: tz-talent-services asks only district == 通州区.
/// </summary>
public static class NoticeFixtures
{
    /// <summary>Eligible exactly when the company is in 通州区 (criteria: district == 通州区).</summary>
    public const string TongzhouMeasure = "tz-talent-services";

    /// <summary>Eligible exactly when the company is in 通州区 and intends to list (listing_status == intends).</summary>
    public const string ListingMeasure = "tz-listing-cultivation-pool";

    public const string Tongzhou = "通州区";

    /// <summary>A district none of the fixture measures accepts.</summary>
    public const string Haidian = "海淀区";

    /// <summary>A company with the profile's facts; its owner (if any) becomes a member.</summary>
    public static async Task<long> CompanyAsync(this Portal portal, string district, long? owner = null, string? name = null, JsonObject? extra = null)
    {
        var profile = new JsonObject
        {
            ["name"] = name ?? $"{district}测试企业{Guid.NewGuid().ToString("N")[..6]}",
            ["uscc"] = TestData.NewUscc(),
            ["district"] = district,
            ["employees"] = 20,
        };
        foreach (var (key, value) in extra ?? [])
        {
            profile[key] = value?.DeepClone();
        }
        return (await portal.Service<CompanyRepository>().CreateAsync(profile, owner))!.Value;
    }

    public static async Task JoinAsync(this Portal portal, long companyId, long userId)
    {
        await using var db = await portal.Service<IDbConnectionFactory>().OpenAsync();
        await db.ExecuteAsync("INSERT INTO company_members (company_id, user_id, role) VALUES (@C, @U, 'member')", new { C = companyId, U = userId });
    }

    /// <summary>A company user with their own email address, subscribed to the kinds given.</summary>
    public static async Task<(long Id, string Email)> PersonAsync(this Portal portal, string label, params string[] kinds)
    {
        var email = $"{label}-{Guid.NewGuid():N}@notices.test";
        var id = (await portal.Service<UserRepository>().CreateAsync(email, $"{label} 女士", AccountService.Hash(Sessions.Password), Roles.Company))!.Value;
        foreach (var kind in kinds)
        {
            await portal.Service<NoticeInbox>().SubscribeAsync(id, kind);
        }
        return (id, email);
    }

    /// <summary>
    /// <paramref name="count"/> company users, each owning a 通州区 company (eligible for the fixture
    /// measure), all subscribed to claim calls, written in one transaction; returns their addresses.
    /// </summary>
    public static async Task<IReadOnlyList<string>> TongzhouRecipientsAsync(this Portal portal, int count, string label, string run)
    {
        var addresses = Enumerable.Range(0, count).Select(i => $"{label}{i}-{run}@notices.test").ToList();
        await using var db = await portal.Service<IDbConnectionFactory>().OpenAsync();
        await using var tx = await db.BeginTransactionAsync();
        var hash = AccountService.Hash(Sessions.Password);
        var now = Stamp.Of(DateTimeOffset.UtcNow);
        for (var i = 0; i < addresses.Count; i++)
        {
            var user = await db.ExecuteScalarAsync<long>("""
                INSERT INTO users (email, display_name, password_hash, role, created_at) VALUES (@Email, @Name, @Hash, 'company', @Now) RETURNING id
                """, new { Email = addresses[i], Name = $"收件人{i}", Hash = hash, Now = now }, tx);
            var profile = new JsonObject { ["name"] = $"通州测试企业{i}-{run}", ["uscc"] = $"K{run}{i:D9}", ["district"] = "通州区" }.ToJsonString();
            var company = await db.ExecuteScalarAsync<long>("""
                INSERT INTO companies (uscc, name, district, profile_json, created_at, updated_at)
                VALUES (@Uscc, @Name, '通州区', @Profile, @Now, @Now) RETURNING id
                """, new { Uscc = $"K{run}{i:D9}", Name = $"通州测试企业{i}-{run}", Profile = profile, Now = now }, tx);
            await db.ExecuteAsync("INSERT INTO company_members (company_id, user_id, role) VALUES (@Company, @User, 'owner')", new { Company = company, User = user }, tx);
            await db.ExecuteAsync("INSERT INTO notice_subscriptions (user_id, kind, subscribed_at) VALUES (@User, 'claim_call', @Now)", new { User = user, Now = now }, tx);
        }
        await tx.CommitAsync();
        return addresses;
    }

    /// <summary>Schedules a notice straight through the store (the form is tested on its own).</summary>
    public static async Task<string> ScheduleAsync(this Portal portal, string title, DateTimeOffset sendAt, string? kind = null,
        DateOnly? opens = null, DateOnly? closes = null, params string[] measures)
    {
        kind ??= NoticeKind.ClaimCall;
        var (admin, _) = await portal.CreateUserAsync(Roles.Admin, "通知管理员");
        return await portal.Service<NoticeSchedules>().CreateAsync(
            new NewNotice(kind, title, "请符合条件的企业在申报期内登录系统提交材料。\n\n联系电话:010-00000000。",
                measures.Length == 0 ? [TongzhouMeasure] : measures, opens, closes, sendAt),
            admin);
    }

    public static async Task<T> ScalarAsync<T>(this Portal portal, string sql, object? args = null)
    {
        await using var db = await portal.Service<IDbConnectionFactory>().OpenAsync();
        return (await db.ExecuteScalarAsync<T>(sql, args))!;
    }

    public static async Task<IReadOnlyList<T>> QueryAsync<T>(this Portal portal, string sql, object? args = null)
    {
        await using var db = await portal.Service<IDbConnectionFactory>().OpenAsync();
        return (await db.QueryAsync<T>(sql, args)).ToList();
    }

    public static async Task ExecuteAsync(this Portal portal, string sql, object? args = null)
    {
        await using var db = await portal.Service<IDbConnectionFactory>().OpenAsync();
        await db.ExecuteAsync(sql, args);
    }

    public sealed record DeliveryRow
    {
        public long Id { get; init; }
        public long UserId { get; init; }
        public string Channel { get; init; } = "";
        public string Status { get; init; } = "";
        public long Attempts { get; init; }
        public string? NextAttemptAt { get; init; }
        public string? LastError { get; init; }
        public string? AcknowledgedAt { get; init; }
    }

    public static Task<IReadOnlyList<DeliveryRow>> DeliveriesAsync(this Portal portal, string messageKey) =>
        portal.QueryAsync<DeliveryRow>("""
            SELECT d.id, d.user_id, d.channel, d.status, d.attempts, d.next_attempt_at, d.last_error, d.acknowledged_at
            FROM notice_deliveries d JOIN notice_messages m ON m.id = d.message_id
            WHERE m.key = @Key ORDER BY d.user_id, d.channel
            """, new { Key = messageKey });

    public static KeyValuePair<string, string> F(string name, string value) => new(name, value);
}

/// <summary>A portal that sends through maildev (started by .ci/test.sh on loopback).</summary>
public class MaildevPortal : Portal
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Smtp:Host"] = "127.0.0.1",
        ["Mail:Smtp:Port"] = Maildev.SmtpPort.ToString(),
        ["Portal:BaseUrl"] = "http://portal.test",
    };
}

/// <summary>maildev's HTTP API: GET /email (optionally filtered, e.g. to.address=…).</summary>
public static class Maildev
{
    public static int SmtpPort => int.Parse(Environment.GetEnvironmentVariable("MAILDEV_SMTP_PORT") ?? "1025");

    public static int WebPort => int.Parse(Environment.GetEnvironmentVariable("MAILDEV_WEB_PORT") ?? "1080");

    private static readonly HttpClient Http = new() { BaseAddress = new Uri($"http://127.0.0.1:{WebPort}"), Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Fails at once (never skips) when maildev is not there, instead of timing out later.</summary>
    public static async Task EnsureRunningAsync()
    {
        try
        {
            (await Http.GetAsync("/healthz")).EnsureSuccessStatusCode();
        }
        catch (HttpRequestException e)
        {
            Assert.Fail($"maildev is not running on 127.0.0.1:{WebPort} (start it as .ci/test.sh does): {e.Message}");
        }
    }

    public static async Task<IReadOnlyList<JsonObject>> ToAsync(string address) =>
        (await Http.GetFromJsonAsync<JsonArray>("/email?to.address=" + Uri.EscapeDataString(address)))!.OfType<JsonObject>().ToList();

    public static async Task<IReadOnlyList<JsonObject>> AllAsync() =>
        (await Http.GetFromJsonAsync<JsonArray>("/email"))!.OfType<JsonObject>().ToList();

    /// <summary>Waits (up to 10 s) until <paramref name="count"/> messages to the address are in maildev.</summary>
    public static async Task<IReadOnlyList<JsonObject>> WaitForAsync(string address, int count = 1)
    {
        IReadOnlyList<JsonObject> found = [];
        for (var i = 0; i < 100 && found.Count < count; i++)
        {
            found = await ToAsync(address);
            if (found.Count < count) await Task.Delay(100);
        }
        return found;
    }

    public static string? Header(this JsonObject message, string name) => (string?)message["headers"]?[name.ToLowerInvariant()];

    /// <summary>A loopback port nothing listens on: SMTP there fails with "connection refused".</summary>
    public static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
