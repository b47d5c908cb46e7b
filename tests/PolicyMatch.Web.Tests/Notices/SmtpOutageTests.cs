using PolicyMatch.Web.Infrastructure.Data;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PolicyMatch.Web.Tests.Notices;

/// <summary>
/// A maildev of the test's own (from .tools/, as .ci/test.sh installs it) on free loopback ports, so
/// the test can stop it mid-run and start it again without disturbing the shared one.
/// </summary>
public sealed class OwnMaildev : IDisposable
{
    private Process? _process;

    public int SmtpPort { get; } = Maildev.ClosedPort();

    public int WebPort { get; } = Maildev.ClosedPort();

    public HttpClient Http => new() { BaseAddress = new Uri($"http://127.0.0.1:{WebPort}") };

    public async Task StartAsync()
    {
        var binary = Path.Combine(Repo.Root, ".tools", "maildev", "node_modules", ".bin", "maildev");
        Assert.True(File.Exists(binary), $"maildev is not installed at {binary} (bash .ci/setup.sh installs it)");
        var info = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--smtp", SmtpPort.ToString(), "--web", WebPort.ToString(), "--ip", "127.0.0.1", "--web-ip", "127.0.0.1" })
        {
            info.ArgumentList.Add(arg);
        }
        _process = Process.Start(info)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = Http;
        await Eventually.UntilAsync(async () =>
        {
            try
            {
                return (await http.GetAsync("/healthz")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90), _ => "our maildev did not start within 90 s");
    }

    /// <summary>Stops it at once (SIGKILL): the SMTP server is simply gone, mid-conversation.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process?.Dispose();
        _process = null;
    }

    public async Task<IReadOnlyList<string>> RecipientsAsync()
    {
        using var http = Http;
        return (await http.GetFromJsonAsync<JsonArray>("/email"))!.Select(m => (string)m!["to"]![0]!["address"]!).ToList();
    }

    public void Dispose() => Stop();
}

/// <summary>A portal whose SMTP server is <see cref="OwnMaildev"/>; one SMTP connection, so the run takes a while.</summary>
public sealed class OutagePortal(int smtpPort) : Portal
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Smtp:Host"] = "127.0.0.1",
        ["Mail:Smtp:Port"] = smtpPort.ToString(),
        ["Mail:Smtp:MaxConnections"] = "1",
        ["Notices:DispatchParallelism"] = "2",
        ["Notices:ClaimBatchSize"] = "8",
        ["Notices:PauseAfterConsecutiveFailures"] = "5",
    };
}

public sealed class SmtpOutageTests(ITestOutputHelper output) : IDisposable
{
    private const int Recipients = 600;
    private readonly OwnMaildev _maildev = new();
    private OutagePortal? _portal;

    [Fact]
    public async Task SMTP_down_mid_run_puts_the_unsent_deliveries_back_to_retry_with_the_error_and_after_it_returns_every_email_arrives_once()
    {
        await _maildev.StartAsync();
        _portal = new OutagePortal(_maildev.SmtpPort);
        var portal = _portal;
        var run = Guid.NewGuid().ToString("N")[..8];
        var addresses = await portal.TongzhouRecipientsAsync(Recipients, "outage", run);
        var noticeId = await portal.ScheduleAsync($"邮件服务器中断测试 {run}", DateTimeOffset.UtcNow.AddSeconds(-1));
        await portal.Service<NoticeFanOut>().FanOutAsync(noticeId);
        var key = "notice:" + noticeId;
        async Task<Dictionary<string, int>> StatesAsync() =>
            (await portal.DeliveriesAsync(key)).Where(d => d.Channel == Channels.Email).GroupBy(d => d.Status).ToDictionary(g => g.Key, g => g.Count());

        // 1. Sending; once some are out, the SMTP server dies.
        var dispatcher = portal.Service<DeliveryDispatcher>();
        var first = dispatcher.DispatchAsync();
        await Eventually.UntilAsync(async () => (await StatesAsync()).GetValueOrDefault(DeliveryStatus.Sent) >= 30 || first.IsCompleted,
            TimeSpan.FromSeconds(60), _ => "nothing was sent");
        var received = await _maildev.RecipientsAsync(); // what the first server got (it keeps mail in memory only)
        _maildev.Stop();

        // 2. The dispatcher does not crash: the run ends normally, paused after the failures in a row.
        var report = await first;
        var states = await StatesAsync();
        output.WriteLine($"first run: {report}; states {string.Join(", ", states.Select(s => $"{s.Key} {s.Value}"))}");
        Assert.True(report.Sent < Recipients, "the run had finished before the server stopped: nothing was interrupted");
        Assert.True(report.Retrying > 0);
        Assert.True(report.Paused);
        Assert.False(states.ContainsKey(DeliveryStatus.Sending));
        Assert.False(states.ContainsKey(DeliveryStatus.Failed));
        var retrying = (await portal.DeliveriesAsync(key)).Where(d => d.Channel == Channels.Email && d.Status == DeliveryStatus.Pending && d.Attempts > 0).ToList();
        Assert.Equal(report.Retrying, retrying.Count);
        Assert.All(retrying, d => Assert.False(string.IsNullOrWhiteSpace(d.LastError)));
        var sentBefore = (await portal.QueryAsync<string>("""
            SELECT u.email FROM notice_deliveries d JOIN notice_messages m ON m.id = d.message_id JOIN users u ON u.id = d.user_id
            WHERE m.key = @Key AND d.channel = 'email' AND d.status = 'sent'
            """, new { Key = key })).ToHashSet();
        Assert.NotEmpty(received);

        // 3. The server is back (empty, on the same port); the retries fall due and go out.
        await _maildev.StartAsync();
        await portal.ExecuteAsync("""
            UPDATE notice_deliveries SET next_attempt_at = @Past
            WHERE status = 'pending' AND message_id = (SELECT id FROM notice_messages WHERE key = @Key)
            """, new { Key = key, Past = Stamp.Of(DateTimeOffset.UtcNow.AddSeconds(-1)) });
        DispatchReport again;
        do
        {
            again = await dispatcher.DispatchAsync();
        }
        while (again.Sent > 0 && (await StatesAsync()).GetValueOrDefault(DeliveryStatus.Sent) < Recipients);
        Assert.Equal(Recipients, (await StatesAsync()).GetValueOrDefault(DeliveryStatus.Sent));

        // Nothing lost, nothing twice: the second server got exactly the ones the first did not.
        IReadOnlyList<string> second = [];
        await Eventually.UntilAsync(async () => (second = await _maildev.RecipientsAsync()).Count >= Recipients - sentBefore.Count,
            TimeSpan.FromSeconds(20), _ => $"the second server has {second.Count} of {Recipients - sentBefore.Count}");
        Assert.Equal(second.Count, second.Distinct().Count());
        Assert.Empty(second.Intersect(sentBefore));
        Assert.Equal(addresses.Order(), second.Concat(sentBefore).Order());
    }

    public void Dispose()
    {
        _maildev.Dispose();
        _portal?.Dispose();
    }
}
