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
/// database with SMTP to maildev. It fans out a notice to 1,000 recipients and starts sending; the test
/// kills the process tree (SIGKILL: no graceful stop, no finally blocks) once some emails are sent,
/// restarts it, and waits until every delivery is sent. Then maildev's messages are compared with the
/// deliveries: every delivery arrived at least once (none lost), and the duplicates are at most the
/// deliveries the killed process left in 'sending' whose SMTP call had been made — so at most the
/// rows in 'sending' after the kill, and at most the sends in flight (DispatchParallelism). That is the
/// bound the design promises; in normal operation there are none.
/// </summary>
public sealed class KillTests(ITestOutputHelper output) : IDisposable
{
    // MailKit sends a few hundred a second to maildev: enough recipients that the kill lands mid-dispatch.
    private const int Recipients = 1000;
    private const int Parallelism = 2;

    // The in-process portal prepares the database (migrations, seeds, fixtures) and reads it afterwards;
    // its scheduler is off, so only the child process ever sends.
    private readonly Portal _portal = new();
    // Every portal process this test started: killed in Dispose whatever happened, so a failed run leaves none behind.
    private readonly List<PortalProcess> _children = [];

    [Fact]
    public async Task Kill_test_a_portal_killed_mid_dispatch_loses_no_delivery_after_restart_and_duplicates_at_most_those_in_flight()
    {
        await Maildev.EnsureRunningAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var addresses = await _portal.TongzhouRecipientsAsync(Recipients, "kill", run);
        var noticeId = await _portal.ScheduleAsync($"崩溃恢复测试 {run}", DateTimeOffset.UtcNow.AddSeconds(-1));
        var clock = Stopwatch.StartNew();

        // 1. Start the portal; its fan-out job publishes the notice, the dispatcher starts sending.
        var first = StartPortal();
        await WaitUntilAsync(() => CountAsync(noticeId, "sent"), n => n >= 60, TimeSpan.FromSeconds(90), first);

        // 2. Kill it mid-dispatch: the whole process tree, at once.
        await first.KillAsync();
        var sent = await CountAsync(noticeId, "sent");
        var inFlight = await CountAsync(noticeId, "sending");
        var pending = await CountAsync(noticeId, "pending");
        output.WriteLine($"killed after {clock.Elapsed.TotalSeconds:0.0} s: {sent} sent, {inFlight} left in sending (claimed, not recorded), {pending} pending");
        Assert.True(sent < Recipients, $"the dispatch had finished before the kill ({sent} sent): nothing was interrupted");
        Assert.Equal(Recipients, sent + inFlight + pending);

        // 3. Restart: the sends the dead process left in 'sending' are recovered, the rest go out.
        // Measured (printed, not asserted): from the restart until every delivery is sent. It includes the
        // process start, the dead process's dispatch lease running out (JobLeases.Lifetime) and the
        // sending of what was left; the goal is 90 s on SQLite storage and 30 s on PostgreSQL.
        var restarted = Stopwatch.StartNew();
        var second = StartPortal();
        try
        {
            await WaitUntilAsync(() => CountAsync(noticeId, "sent"), n => n == Recipients, TimeSpan.FromSeconds(180), second);
        }
        finally
        {
            await second.KillAsync();
        }
        output.WriteLine($"all {Recipients} sent after {clock.Elapsed.TotalSeconds:0.0} s; recovery on {TestDatabase.Provider}: {restarted.Elapsed.TotalSeconds:0.0} s from the restart until every delivery was sent ({pending + inFlight} left at the kill)");

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

    private PortalProcess StartPortal()
    {
        var env = new Dictionary<string, string>(_portal.Database.Environment)
        {
            ["Mail__PickupDirectory"] = _portal.MailFolder,
            ["Mail__Smtp__Host"] = "127.0.0.1",
            ["Mail__Smtp__Port"] = Maildev.SmtpPort.ToString(),
            ["Portal__BaseUrl"] = "http://kill.test",
            ["Jobs__Enabled"] = "true",
            ["Jobs__FanOutInterval"] = "00:00:01",
            ["Jobs__DispatchInterval"] = "00:00:01",
            // Two sends handed to the mail pool at once, one SMTP connection, small claims: the kill lands in the middle of the dispatch.
            ["Notices__DispatchParallelism"] = Parallelism.ToString(),
            ["Mail__Smtp__MaxConnections"] = "1",
            ["Notices__ClaimBatchSize"] = "8",
        };
        var process = PortalProcess.Start(env);
        _children.Add(process);
        return process;
    }

    private Task<long> CountAsync(string noticeId, string status) =>
        _portal.ScalarAsync<long>("""
            SELECT COUNT(*) FROM notice_deliveries d JOIN notice_messages m ON m.id = d.message_id
            WHERE m.key = @Key AND d.channel = 'email' AND d.status = @Status
            """, new { Key = "notice:" + noticeId, Status = status });

    private static async Task WaitUntilAsync(Func<Task<long>> probe, Func<long, bool> done, TimeSpan timeout, PortalProcess process)
    {
        long value = 0;
        await Eventually.UntilAsync(async () => done(value = await probe()), timeout,
            elapsed => $"gave up at {value} after {elapsed.TotalSeconds:0.0} s (process exited: {process.HasExited}). Child output:\n{process.Log(8000)}",
            giveUp: () => process.HasExited, pollMilliseconds: 20);
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
            output.WriteLine(child.Log(3000));
            child.Dispose();
        }
        _portal.Dispose();
    }
}
