using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PolicyMatch.Web.Tests.Notices;

/// <summary>
/// THE KILL TEST. The portal runs as a separate OS process (dotnet PolicyMatch.Web.dll) on a temp
/// database with SMTP to maildev. It fans out a notice to 300 recipients and starts sending; the test
/// kills the process tree (SIGKILL: no graceful stop, no finally blocks) once some emails are sent,
/// restarts it, and waits until every delivery is sent. Then maildev's messages are compared with the
/// deliveries: every delivery arrived at least once (none lost), and the duplicates are at most the
/// deliveries the killed process left in 'sending' whose SMTP call had been made — so at most the
/// rows in 'sending' after the kill, and at most the sends in flight (DispatchParallelism). That is the
/// bound the design promises; in normal operation there are none.
/// </summary>
public sealed class KillTests(ITestOutputHelper output) : IDisposable
{
    private const int Recipients = 300;
    private const int Parallelism = 2;

    // The in-process portal prepares the database (migrations, seeds, fixtures) and reads it afterwards;
    // its scheduler is off, so only the child process ever sends.
    private readonly Portal _portal = new();
    private readonly StringBuilder _childLog = new();
    // Every portal process this test started: killed in Dispose whatever happened, so a failed run leaves none behind.
    private readonly List<Process> _children = [];

    [Fact]
    public async Task Kill_test_a_portal_killed_mid_dispatch_loses_no_delivery_after_restart_and_duplicates_at_most_those_in_flight()
    {
        await Maildev.EnsureRunningAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var addresses = await CreateRecipientsAsync(run);
        var noticeId = await _portal.ScheduleAsync($"崩溃恢复测试 {run}", DateTimeOffset.UtcNow.AddSeconds(-1));
        var clock = Stopwatch.StartNew();

        // 1. Start the portal; its fan-out job publishes the notice, the dispatcher starts sending.
        var first = StartPortal();
        await WaitUntilAsync(() => CountAsync(noticeId, "sent"), n => n >= 60, TimeSpan.FromSeconds(40), first);

        // 2. Kill it mid-dispatch: the whole process tree, at once.
        first.Kill(entireProcessTree: true);
        await first.WaitForExitAsync();
        var sent = await CountAsync(noticeId, "sent");
        var inFlight = await CountAsync(noticeId, "sending");
        var pending = await CountAsync(noticeId, "pending");
        output.WriteLine($"killed after {clock.Elapsed.TotalSeconds:0.0} s: {sent} sent, {inFlight} left in sending (claimed, not recorded), {pending} pending");
        Assert.True(sent < Recipients, $"the dispatch had finished before the kill ({sent} sent): nothing was interrupted");
        Assert.Equal(Recipients, sent + inFlight + pending);

        // 3. Restart: the sends the dead process left in 'sending' are recovered, the rest go out.
        var second = StartPortal();
        try
        {
            await WaitUntilAsync(() => CountAsync(noticeId, "sent"), n => n == Recipients, TimeSpan.FromSeconds(60), second);
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }
        output.WriteLine($"all {Recipients} sent after {clock.Elapsed.TotalSeconds:0.0} s");

        // 4. maildev against the deliveries.
        var received = await ReceivedAsync(addresses.ToHashSet());
        var perAddress = received.GroupBy(m => (string)m["to"]![0]!["address"]!).ToDictionary(g => g.Key, g => g.Count());
        var lost = addresses.Where(a => !perAddress.ContainsKey(a)).ToList();
        var duplicates = received.Count - perAddress.Count;
        output.WriteLine($"maildev: {received.Count} messages for {perAddress.Count} recipients; lost {lost.Count}; duplicates {duplicates} (bound: min({inFlight} left in sending, {Parallelism} sends in flight))");

        Assert.Empty(lost);
        // Only a claim whose SMTP call had been made can arrive twice: at most the sends in flight.
        Assert.InRange(duplicates, 0, Math.Min(inFlight, Parallelism));
        // The same by delivery id (the X-PolicyMatch-Delivery header): each delivery's email arrived.
        var deliveryIds = await _portal.QueryAsync<long>("""
            SELECT d.id FROM notice_deliveries d JOIN notice_messages m ON m.id = d.message_id
            WHERE m.key = @Key AND d.channel = 'email'
            """, new { Key = "notice:" + noticeId });
        Assert.Equal(deliveryIds.Order().ToArray(), received.Select(m => long.Parse(m.Header("X-PolicyMatch-Delivery")!)).Distinct().Order().ToArray());
        Assert.Equal(Recipients, await _portal.ScalarAsync<long>("""
            SELECT COUNT(*) FROM notice_deliveries d JOIN notice_messages m ON m.id = d.message_id
            WHERE m.key = @Key AND d.channel = 'inbox'
            """, new { Key = "notice:" + noticeId }));
    }

    /// <summary>300 company users, each owning a 通州区 company (eligible), all subscribed to claim calls.</summary>
    private async Task<IReadOnlyList<string>> CreateRecipientsAsync(string run)
    {
        var addresses = Enumerable.Range(0, Recipients).Select(i => $"kill{i}-{run}@notices.test").ToList();
        await using var db = await _portal.Service<IDbConnectionFactory>().OpenAsync();
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

    private Process StartPortal()
    {
        var web = WebBinaries();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = web,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(web, "PolicyMatch.Web.dll"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add("http://127.0.0.1:0");
        var env = info.Environment;
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in _portal.Database.Environment)
        {
            env[key] = value;
        }
        env["Seeds__Directory"] = Repo.Seeds;
        env["Mail__PickupDirectory"] = _portal.MailFolder;
        env["Mail__Smtp__Host"] = "127.0.0.1";
        env["Mail__Smtp__Port"] = Maildev.SmtpPort.ToString();
        env["Portal__BaseUrl"] = "http://kill.test";
        env["Jobs__Enabled"] = "true";
        env["Jobs__FanOutInterval"] = "00:00:01";
        env["Jobs__DispatchInterval"] = "00:00:01";
        // Two SMTP clients (~45 emails/s) and small claims: the kill lands in the middle of the dispatch.
        env["Notices__DispatchParallelism"] = Parallelism.ToString();
        env["Notices__ClaimBatchSize"] = "8";
        env["Logging__LogLevel__Default"] = "Warning";
        env["Logging__LogLevel__PolicyMatch"] = "Information";
        var process = Process.Start(info)!;
        _children.Add(process);
        process.OutputDataReceived += (_, e) => Log(e.Data);
        process.ErrorDataReceived += (_, e) => Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Log(string? line)
    {
        if (line is null) return;
        lock (_childLog)
        {
            _childLog.AppendLine(line);
        }
    }

    /// <summary>The web project's own build output (same configuration as these tests).</summary>
    private static string WebBinaries()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testBin.Parent!.Name;          // …/bin/{Debug|Release}/net10.0
        var dir = Path.Combine(Repo.Root, "src", "PolicyMatch.Web", "bin", configuration, testBin.Name);
        Assert.True(File.Exists(Path.Combine(dir, "PolicyMatch.Web.dll")), $"build the web project first: {dir}");
        return dir;
    }

    private Task<long> CountAsync(string noticeId, string status) =>
        _portal.ScalarAsync<long>("""
            SELECT COUNT(*) FROM notice_deliveries d JOIN notice_messages m ON m.id = d.message_id
            WHERE m.key = @Key AND d.channel = 'email' AND d.status = @Status
            """, new { Key = "notice:" + noticeId, Status = status });

    private async Task<long> WaitUntilAsync(Func<Task<long>> probe, Func<long, bool> done, TimeSpan timeout, Process process)
    {
        var stop = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (process.HasExited || stop.Elapsed > timeout)
            {
                string log;
                lock (_childLog) log = _childLog.ToString();
                Assert.Fail($"gave up at {value} after {stop.Elapsed.TotalSeconds:0.0} s (process exited: {process.HasExited}). Child output:\n{log[Math.Max(0, log.Length - 4000)..]}");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>maildev's messages to these addresses, once their number stops growing.</summary>
    private static async Task<IReadOnlyList<JsonObject>> ReceivedAsync(HashSet<string> addresses)
    {
        var last = -1;
        IReadOnlyList<JsonObject> mine = [];
        for (var i = 0; i < 50; i++)
        {
            mine = (await Maildev.AllAsync()).Where(m => addresses.Contains((string?)m["to"]?[0]?["address"] ?? "")).ToList();
            if (mine.Count >= addresses.Count && mine.Count == last) break;
            last = mine.Count;
            await Task.Delay(300);
        }
        return mine;
    }

    public void Dispose()
    {
        foreach (var child in _children)
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
                child.WaitForExit();
            }
            child.Dispose();
        }
        lock (_childLog)
        {
            output.WriteLine(_childLog.Length > 3000 ? _childLog.ToString()[^3000..] : _childLog.ToString());
        }
        _portal.Dispose();
    }
}
