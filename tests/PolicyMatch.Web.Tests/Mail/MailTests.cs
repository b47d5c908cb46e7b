using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using PolicyMatch.Web.Infrastructure.Mail;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Mail;

public sealed class MailTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create("mail");

    private static readonly EmailMessage Message = new(
        "company@example.com",
        "关于领取2024年政策资金的通知",
        "<p>您的企业<strong>符合</strong>条件。</p>",
        "您的企业符合条件。",
        new Dictionary<string, string>
        {
            ["List-Unsubscribe"] = "<https://policymatch.local/api/unsubscribe/abc>",
            ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
        });

    private static SmtpEmailSender Sender(MailOptions options) => new(Options.Create(options), NullLogger<SmtpEmailSender>.Instance);

    private static int SmtpPort => int.Parse(Environment.GetEnvironmentVariable("MAILDEV_SMTP_PORT") ?? "1025");

    [Fact]
    public async Task Without_SMTP_each_email_is_written_as_an_eml_file_with_RFC_2047_Chinese_subject_both_bodies_and_the_one_click_headers()
    {
        var sender = Sender(new MailOptions { PickupDirectory = _dir, From = "政策匹配 <noreply@policymatch.local>" });
        await sender.SendAsync(Message);

        var file = Assert.Single(Directory.GetFiles(_dir));
        Assert.EndsWith(".eml", file);
        var eml = await File.ReadAllTextAsync(file);
        // Headers are 7-bit: the Chinese subject and sender name are encoded words.
        Assert.Contains("Subject: =?utf-8?", eml, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("From: =?utf-8?", eml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("关于", eml.Split("\r\n\r\n")[0]);
        Assert.Contains("List-Unsubscribe: <https://policymatch.local/api/unsubscribe/abc>", eml);
        Assert.Contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click", eml);
        Assert.Contains("multipart/alternative", eml);

        // Read back with MimeKit: everything round-trips.
        var parsed = await MimeMessage.LoadAsync(file);
        Assert.Equal(Message.Subject, parsed.Subject);
        Assert.Equal("政策匹配", ((MailboxAddress)parsed.From[0]).Name);
        Assert.Equal("您的企业符合条件。", parsed.TextBody!.Trim());
        Assert.Contains("<strong>符合</strong>", parsed.HtmlBody);
    }

    /// <summary>Needs maildev on 127.0.0.1 (started by .ci/test.sh); fails, never skips, without it.</summary>
    [Fact]
    public async Task With_SMTP_the_email_reaches_a_real_server_intact_and_the_connection_is_reused()
    {
        var webPort = int.Parse(Environment.GetEnvironmentVariable("MAILDEV_WEB_PORT") ?? "1080");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}") };
        var to = $"t{Guid.NewGuid():N}@example.com";
        await using var sender = Sender(new MailOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = SmtpPort, MaxConnections = 1 } });

        // Several in parallel through one pooled connection.
        await Task.WhenAll(Enumerable.Range(0, 5).Select(i => sender.SendAsync(Message with { To = to, Subject = Message.Subject + i })));

        JsonArray? found = null;
        await Eventually.UntilAsync(async () =>
        {
            var all = await http.GetFromJsonAsync<JsonArray>("/email?to.address=" + Uri.EscapeDataString(to));
            found = all;
            return all!.Count >= 5;
        }, TimeSpan.FromSeconds(10), _ => $"five messages in maildev, saw {found?.Count}");
        var first = found!.Single(m => (string?)m!["subject"] == Message.Subject + "0")!;
        Assert.Contains("符合", (string?)first["html"]);
        Assert.Contains("您的企业符合条件。", (string?)first["text"]);
        Assert.Equal("List-Unsubscribe=One-Click", (string?)first["headers"]!["list-unsubscribe-post"]);
    }

    [Fact]
    public async Task A_permanent_5xx_refusal_of_the_recipient_throws_EmailRejected_with_the_servers_message_and_the_next_send_still_works()
    {
        await using var server = new ScriptedSmtpServer(refuse: "nobody@example.com");
        await using var sender = Sender(new MailOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = server.Port, Security = MailKit.Security.SecureSocketOptions.None, MaxConnections = 1 } });

        var refused = await Assert.ThrowsAsync<EmailRejectedException>(() => sender.SendAsync(Message with { To = "nobody@example.com" }));
        Assert.Contains("550", refused.Message);
        Assert.Contains("mailbox unavailable", refused.Message);

        await sender.SendAsync(Message with { To = "somebody@example.com" });
        Assert.Equal(1, server.Accepted);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task A_temporary_4xx_answer_is_not_a_rejection_so_the_outbox_retries_it()
    {
        await using var server = new ScriptedSmtpServer(refuse: "busy@example.com", code: "451 4.3.0 try again later");
        await using var sender = Sender(new MailOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = server.Port, Security = MailKit.Security.SecureSocketOptions.None } });

        var e = await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync(Message with { To = "busy@example.com" }));
        Assert.IsNotType<EmailRejectedException>(e);
    }

    [Fact]
    public async Task A_server_that_drops_the_connection_is_reconnected_on_the_next_send()
    {
        await using var server = new ScriptedSmtpServer(refuse: null);
        await using var sender = Sender(new MailOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = server.Port, Security = MailKit.Security.SecureSocketOptions.None, MaxConnections = 1 } });
        await sender.SendAsync(Message);

        server.DropConnections();
        await Eventually.UntilAsync(() => Task.FromResult(server.Open == 0), TimeSpan.FromSeconds(5), _ => "the server did not close its side");
        // The pooled client may or may not have noticed; either this send or the next goes through on a new connection.
        try
        {
            await sender.SendAsync(Message);
        }
        catch (Exception e) when (e is not EmailRejectedException)
        {
            await sender.SendAsync(Message);
        }

        Assert.Equal(2, server.Accepted);
        Assert.Equal(2, server.Connections);
    }

    public void Dispose() => TempDirectory.Delete(_dir);
}

/// <summary>
/// A minimal SMTP server on loopback for what maildev cannot do: refuse a recipient with a given
/// answer, or drop its connections. It speaks just enough of RFC 5321 for MailKit.
/// </summary>
internal sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string? _refuse;
    private readonly string _code;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private int _accepted, _connections, _open;

    public ScriptedSmtpServer(string? refuse, string code = "550 5.1.1 mailbox unavailable")
    {
        _refuse = refuse;
        _code = code;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int Accepted => Volatile.Read(ref _accepted);
    public int Connections => Volatile.Read(ref _connections);
    public int Open => Volatile.Read(ref _open);

    public void DropConnections()
    {
        lock (_clients)
        {
            foreach (var c in _clients)
            {
                // Disposing twice is harmless (its conversation may have ended already).
                c.Dispose();
            }
            _clients.Clear();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            lock (_clients)
            {
                _clients.Add(client);
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        Interlocked.Increment(ref _open);
        try
        {
            using var _ = client;
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 scripted ESMTP");
            var refusedThisMessage = false;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-scripted");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "RCPT":
                        refusedThisMessage = _refuse is not null && line.Contains(_refuse, StringComparison.OrdinalIgnoreCase);
                        await writer.WriteLineAsync(refusedThisMessage ? _code : "250 ok");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 go ahead");
                        while (await reader.ReadLineAsync(_stop.Token) is { } body && body != ".")
                        {
                        }
                        Interlocked.Increment(ref _accepted);
                        await writer.WriteLineAsync("250 queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    default: // MAIL, RSET, NOOP
                        await writer.WriteLineAsync("250 ok");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Dropped on purpose, or the test ended.
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        DropConnections();
        return ValueTask.CompletedTask;
    }
}
