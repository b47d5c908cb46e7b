using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PolicyMatch.Benchmarks.Shared;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Notices.Benchmarks;

/// <summary>
/// Fans one notice out to N recipients (default 10,000: each a company user owning an eligible 通州区
/// company, subscribed to claim calls) in a temp SQLite database, dispatches it to maildev over
/// loopback, and checks the result against maildev's API and the deliveries table.
/// Usage: dotnet run -c Release --project tests/PolicyMatch.Notices.Benchmarks -- [--recipients 10000]
///        [--smtp-port 1125] [--web-port 1180] [--parallelism 16] [--batch 16] [--connections 4] [--ceiling 0]
/// After the check it measures the server's ceiling (one delivered email sent again as many times by a
/// bare MailKit client; --ceiling 0 skips it). It empties the maildev it is given (DELETE /email/all): give it one of its own (see README.md).
/// </summary>
public static class NoticesBenchmark
{
    public static async Task<int> Main(string[] args)
    {
        var recipients = Arg(args, "--recipients", 10_000);
        var smtpPort = Arg(args, "--smtp-port", 1125);
        var webPort = Arg(args, "--web-port", 1180);
        var parallelism = Arg(args, "--parallelism", 16);
        var batch = Arg(args, "--batch", 16);
        var connections = Arg(args, "--connections", 4);
        var maildev = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}"), Timeout = TimeSpan.FromMinutes(5) };
        try
        {
            await maildev.GetAsync("/healthz");
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"maildev is not reachable on 127.0.0.1:{webPort} ({e.Message}). Start one (see README.md).");
            return 2;
        }
        (await maildev.DeleteAsync("/email/all")).EnsureSuccessStatusCode();

        var directory = Path.Combine(Path.GetTempPath(), $"policymatch-notices-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            await using var portal = new BenchPortal(new Dictionary<string, string?>
            {
                ["ConnectionStrings:PolicyMatch"] = $"Data Source={Path.Combine(directory, "policymatch.db")}",
                ["Mail:Smtp:Host"] = "127.0.0.1",
                ["Mail:Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
                ["Notices:DispatchParallelism"] = parallelism.ToString(CultureInfo.InvariantCulture),
                ["Notices:ClaimBatchSize"] = batch.ToString(CultureInfo.InvariantCulture),
                ["Mail:Smtp:MaxConnections"] = connections.ToString(CultureInfo.InvariantCulture),
                ["Portal:BaseUrl"] = "http://localhost:5080",
            });
            var services = portal.Services;
            Console.WriteLine($"PolicyMatch notices benchmark: {recipients:N0} recipients, {parallelism} emails in flight over {connections} SMTP connections, claims of {batch}, maildev 127.0.0.1:{smtpPort}");
            Console.WriteLine($"  machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");

            var setup = Stopwatch.StartNew();
            await CreateRecipientsAsync(services, recipients);
            var noticeId = await services.GetRequiredService<NoticeSchedules>().CreateAsync(
                new NewNotice(NoticeKind.ClaimCall, "关于领取2025年度通州区人才服务资金的通知",
                    "各有关企业:\n\n请符合条件的企业在申报期内登录系统提交材料。", ["tz-talent-services"],
                    DateOnly.FromDateTime(DateTime.Today), DateOnly.FromDateTime(DateTime.Today.AddDays(30)), DateTimeOffset.UtcNow.AddSeconds(-1)),
                await AdminAsync(services));
            Console.WriteLine($"  setup (users, companies, subscriptions; not measured): {setup.Elapsed.TotalSeconds:0.0} s");

            var fanOutClock = Stopwatch.StartNew();
            var fanOut = await services.GetRequiredService<NoticeFanOut>().FanOutDueAsync();
            fanOutClock.Stop();
            var written = fanOut.Single().Write;
            Console.WriteLine($"  fan-out: {fanOut.Single().Recipients:N0} recipients, {written.InboxAdded + written.EmailAdded:N0} deliveries in {fanOutClock.Elapsed.TotalSeconds:0.00} s");

            var dispatchClock = Stopwatch.StartNew();
            // One dispatch job is bounded (Notices:DispatchRunTime); the job enqueues the next while
            // email remains, as this loop does.
            var dispatcher = services.GetRequiredService<DeliveryDispatcher>();
            var report = await dispatcher.DispatchAsync();
            while (report.More)
            {
                var next = await dispatcher.DispatchAsync();
                report = next with { Sent = report.Sent + next.Sent, Retrying = report.Retrying + next.Retrying, Failed = report.Failed + next.Failed };
            }
            dispatchClock.Stop();
            var rate = report.Sent / dispatchClock.Elapsed.TotalSeconds;
            Console.WriteLine($"  dispatch: {report.Sent:N0} sent, {report.Retrying} retrying, {report.Failed} failed in {dispatchClock.Elapsed.TotalSeconds:0.0} s = {rate:0} messages/s");

            // Verification: the deliveries table, then maildev.
            await using var db = await services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
            var states = (await db.QueryAsync<(string Status, long Count)>("""
                SELECT d.status, COUNT(*) FROM notice_deliveries d JOIN notice_messages m ON m.id = d.message_id
                WHERE m.key = @Key AND d.channel = 'email' GROUP BY d.status
                """, new { Key = "notice:" + noticeId })).ToDictionary(r => r.Status, r => r.Count);
            var deliveryIds = (await db.QueryAsync<long>("""
                SELECT d.id FROM notice_deliveries d JOIN notice_messages m ON m.id = d.message_id
                WHERE m.key = @Key AND d.channel = 'email'
                """, new { Key = "notice:" + noticeId })).ToHashSet();
            var messages = await ReceivedAsync(maildev, recipients);
            var perDelivery = messages
                .Select(m => long.Parse((string)m["headers"]!["x-policymatch-delivery"]!, CultureInfo.InvariantCulture))
                .GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
            var lost = deliveryIds.Count(id => !perDelivery.ContainsKey(id));
            var duplicates = perDelivery.Values.Sum(c => c - 1);
            var strangers = perDelivery.Keys.Count(id => !deliveryIds.Contains(id));
            Console.WriteLine($"  deliveries table: {string.Join(", ", states.Select(s => $"{s.Key} {s.Value:N0}"))}");
            Console.WriteLine($"  maildev: {messages.Count:N0} messages; lost {lost}, duplicates {duplicates}, unknown {strangers}");
            var total = fanOutClock.Elapsed + dispatchClock.Elapsed;
            var ok = lost == 0 && duplicates == 0 && strangers == 0 && states.GetValueOrDefault("sent") == recipients && total < TimeSpan.FromMinutes(2);
            Console.WriteLine($"  fan-out + dispatch: {total.TotalSeconds:0.0} s (goal: under 120 s, zero lost, zero duplicates) → {(ok ? "MET" : "NOT MET")}");
            if (Arg(args, "--ceiling", 1) != 0 && messages.Count > 0)
            {
                await ServerCeilingAsync(maildev, (string)messages[0]["id"]!, recipients, connections, smtpPort);
            }
            return ok ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>N company users, each the owner of a 通州区 company (eligible for tz-talent-services), subscribed to claim calls.</summary>
    private static async Task CreateRecipientsAsync(IServiceProvider services, int count)
    {
        await using var db = await services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        await using var tx = await db.BeginTransactionAsync();
        var hash = AccountService.Hash("benchmark password");
        var now = Stamp.Of(DateTimeOffset.UtcNow);
        for (var i = 0; i < count; i++)
        {
            var user = await db.ExecuteScalarAsync<long>("""
                INSERT INTO users (email, display_name, password_hash, role, created_at) VALUES (@Email, @Name, @Hash, 'company', @Now) RETURNING id
                """, new { Email = $"bench{i}@bench.test", Name = $"收件人{i}", Hash = hash, Now = now }, tx);
            var uscc = $"B{i:D17}";
            var name = $"通州基准测试企业{i}";
            var profile = new JsonObject { ["name"] = name, ["uscc"] = uscc, ["district"] = "通州区", ["employees"] = 20 + i % 200 };
            var company = await db.ExecuteScalarAsync<long>("""
                INSERT INTO companies (uscc, name, district, profile_json, created_at, updated_at)
                VALUES (@Uscc, @Name, '通州区', @Profile, @Now, @Now) RETURNING id
                """, new { Uscc = uscc, Name = name, Profile = CompanyRepository.StoredText(profile), Now = now }, tx);
            await db.ExecuteAsync("INSERT INTO company_members (company_id, user_id, role) VALUES (@Company, @User, 'owner')", new { Company = company, User = user }, tx);
            await db.ExecuteAsync("INSERT INTO notice_subscriptions (user_id, kind, subscribed_at) VALUES (@User, 'claim_call', @Now)", new { User = user, Now = now }, tx);
        }
        await tx.CommitAsync();
    }

    private static async Task<long> AdminAsync(IServiceProvider services) =>
        (await services.GetRequiredService<UserRepository>().CreateAsync("bench-admin@bench.test", "基准管理员", AccountService.Hash("benchmark password"), Roles.Admin))!.Value;

    /// <summary>maildev's messages, once there are as many as expected (or their number stops growing).</summary>
    private static async Task<IReadOnlyList<JsonObject>> ReceivedAsync(HttpClient maildev, int expected)
    {
        IReadOnlyList<JsonObject> messages = [];
        var previous = -1;
        for (var i = 0; i < 60; i++)
        {
            messages = (await maildev.GetFromJsonAsync<JsonArray>("/email"))!.OfType<JsonObject>().ToList();
            if (messages.Count == previous && messages.Count >= expected) break;
            previous = messages.Count;
            await Task.Delay(500);
        }
        return messages;
    }

    /// <summary>
    /// What the SMTP server itself accepts on this machine: one email the dispatcher sent, downloaded
    /// from maildev, sent again <paramref name="count"/> times over the same number of connections by a
    /// bare MailKit client (no database, no rendering, no outbox). No sender can beat this figure against
    /// this server, so it says how much of the dispatch time is the portal's.
    /// </summary>
    private static async Task ServerCeilingAsync(HttpClient maildev, string messageId, int count, int connections, int smtpPort)
    {
        var raw = await maildev.GetByteArrayAsync($"/email/{messageId}/download");
        (await maildev.DeleteAsync("/email/all")).EnsureSuccessStatusCode();
        var message = MimeKit.MimeMessage.Load(new MemoryStream(raw));
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            using var client = new MailKit.Net.Smtp.SmtpClient();
            // NoDelay as the portal's sender does (see SmtpEmailSender): otherwise Nagle's algorithm,
            // not the server, would set the figure.
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync("127.0.0.1", smtpPort);
            await client.ConnectAsync(socket, "127.0.0.1", smtpPort, MailKit.Security.SecureSocketOptions.None);
            while (Interlocked.Increment(ref next) < count)
            {
                await client.SendAsync(message);
            }
            await client.DisconnectAsync(quit: true);
        }));
        clock.Stop();
        var received = (await ReceivedAsync(maildev, count)).Count;
        Console.WriteLine($"  server ceiling: the same {raw.Length:N0}-byte email {count:N0} times over {connections} connections by a bare MailKit client: "
            + $"{clock.Elapsed.TotalSeconds:0.0} s = {count / clock.Elapsed.TotalSeconds:0} messages/s ({received:N0} received)");
        (await maildev.DeleteAsync("/email/all")).EnsureSuccessStatusCode();
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
