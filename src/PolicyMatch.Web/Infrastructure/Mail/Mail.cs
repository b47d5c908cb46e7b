using System.Collections.Concurrent;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;

namespace PolicyMatch.Web.Infrastructure.Mail;

public sealed class MailOptions
{
    /// <summary>Where emails are written as .eml files when no SMTP host is configured.</summary>
    public string PickupDirectory { get; set; } = "data/mail";

    public string From { get; set; } = "PolicyMatch <noreply@policymatch.local>";

    public SmtpOptions Smtp { get; set; } = new();
}

public sealed class SmtpOptions
{
    /// <summary>Empty: no SMTP server; emails go to the pickup folder.</summary>
    public string? Host { get; set; }
    public int Port { get; set; } = 25;

    /// <summary>
    /// MailKit's <see cref="SecureSocketOptions"/>: <c>Auto</c> (TLS on connect for port 465, else
    /// STARTTLS when the server offers it), <c>None</c>, <c>SslOnConnect</c>, <c>StartTls</c> (required),
    /// <c>StartTlsWhenAvailable</c>.
    /// </summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>
    /// Connections kept open to the server, which is also how many messages are sent at once. One
    /// MailKit connection sends about 1,000 messages/s to a local server, so a few are plenty; more
    /// mostly adds load on the receiving server.
    /// </summary>
    public int MaxConnections { get; set; } = 4;

    /// <summary>The longest one SMTP command may wait for the server.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>An email with both bodies; <see cref="Headers"/> carries e.g. List-Unsubscribe.</summary>
public sealed record EmailMessage(string To, string Subject, string HtmlBody, string TextBody, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>The one way the portal sends email. Requests never call it: they write outbox rows.</summary>
public interface IEmailSender
{
    /// <summary>
    /// Sends one message. Throws <see cref="EmailRejectedException"/> when the server refused it for good
    /// (retrying cannot help); any other exception is worth retrying later.
    /// </summary>
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}

/// <summary>The server refused the message for good (a 5xx answer, e.g. no such recipient), or the address cannot be used.</summary>
public sealed class EmailRejectedException(string message, Exception inner) : Exception(message, inner);

/// <summary>The MIME of every email: built by MimeKit, the same for SMTP and the pickup folder.</summary>
public static class EmailMime
{
    /// <summary>
    /// multipart/alternative with the plain text first and the HTML last (the part a client prefers),
    /// both UTF-8; MimeKit encodes non-ASCII headers (the Chinese subject, display names) as RFC 2047
    /// words and picks quoted-printable or base64 for the bodies. Extra headers (List-Unsubscribe …)
    /// are copied as given.
    /// </summary>
    public static MimeMessage Build(string from, EmailMessage message)
    {
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(from));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        var text = new TextPart(TextFormat.Plain);
        text.SetText("utf-8", message.TextBody);
        var html = new TextPart(TextFormat.Html);
        html.SetText("utf-8", message.HtmlBody);
        mime.Body = new MultipartAlternative { text, html };
        foreach (var (name, value) in message.Headers ?? new Dictionary<string, string>())
        {
            var header = new Header(name, value);
            if (value.All(char.IsAscii))
            {
                // As given, on one line: MimeKit would fold a long value (an unsubscribe URL with its
                // token) at its only space, and some list-unsubscribe parsers read just the first line.
                header.SetRawValue(System.Text.Encoding.ASCII.GetBytes(" " + value + "\r\n"));
            }
            mime.Headers.Add(header);
        }
        return mime;
    }
}

/// <summary>
/// MailKit behind <see cref="IEmailSender"/>. With an SMTP host it delivers through a small pool of
/// connected clients; without one it writes each message as an .eml file to the pickup folder, so
/// the portal runs on a fresh machine with nothing else installed.
/// <para>
/// The pool holds at most <see cref="SmtpOptions.MaxConnections"/> clients, and a send waits for one,
/// which bounds the sends in flight whatever the caller's parallelism. A client stays connected
/// between sends (connecting and EHLO/AUTH cost more than a message); one idle longer than
/// <see cref="MaxIdle"/> (SMTP servers drop idle connections after a minute or more) or found
/// disconnected is replaced by a fresh connection. After a failure the client is thrown away unless
/// the server answered with a command error (the connection is then still in a known state), so the
/// next send reconnects.
/// </para>
/// </summary>
public sealed class SmtpEmailSender(IOptions<MailOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender, IAsyncDisposable, IDisposable
{
    public static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(30);

    private sealed record Pooled(SmtpClient Client, long LastUsed);

    private readonly ConcurrentBag<Pooled> _idle = [];
    private SemaphoreSlim? _slots;
    private readonly Lock _slotsLock = new();
    private volatile bool _disposed;

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        MimeMessage mime;
        try
        {
            mime = EmailMime.Build(o.From, message);
        }
        catch (ParseException e)
        {
            throw new EmailRejectedException($"unusable address: {e.Message}", e);
        }
        if (string.IsNullOrWhiteSpace(o.Smtp.Host))
        {
            await WritePickupAsync(mime, o.PickupDirectory, cancellationToken);
            return;
        }
        var slots = Slots(o.Smtp);
        await slots.WaitAsync(cancellationToken);
        try
        {
            var client = await RentAsync(o.Smtp, cancellationToken);
            try
            {
                await client.SendAsync(mime, cancellationToken);
            }
            catch (SmtpCommandException e) when (client.IsConnected)
            {
                // The server answered: the connection is fine for the next message.
                Return(client);
                throw Classify(e);
            }
            catch
            {
                Discard(client);
                throw;
            }
            Return(client);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>A 5xx answer to the sender, a recipient or the message will not change on retry; a 4xx may.</summary>
    private static Exception Classify(SmtpCommandException e) =>
        (int)e.StatusCode >= 500
            ? new EmailRejectedException($"{(int)e.StatusCode} {e.Message}".Trim() + (e.Mailbox is null ? "" : $" ({e.Mailbox.Address})"), e)
            : e;

    /// <summary>Written under a temporary name and renamed, so a reader of the folder never sees half a message.</summary>
    private static async Task WritePickupAsync(MimeMessage mime, string directory, CancellationToken ct)
    {
        var folder = Path.GetFullPath(directory);
        Directory.CreateDirectory(folder);
        var name = Guid.NewGuid().ToString("N");
        var temporary = Path.Combine(folder, name + ".tmp");
        await mime.WriteToAsync(temporary, ct);
        File.Move(temporary, Path.Combine(folder, name + ".eml"));
    }

    private SemaphoreSlim Slots(SmtpOptions smtp)
    {
        if (_slots is { } existing)
        {
            return existing;
        }
        lock (_slotsLock)
        {
            return _slots ??= new SemaphoreSlim(Math.Max(1, smtp.MaxConnections));
        }
    }

    private async Task<SmtpClient> RentAsync(SmtpOptions smtp, CancellationToken ct)
    {
        while (_idle.TryTake(out var pooled))
        {
            if (pooled.Client.IsConnected && Environment.TickCount64 - pooled.LastUsed < MaxIdle.TotalMilliseconds)
            {
                return pooled.Client;
            }
            Discard(pooled.Client);
        }
        var client = new SmtpClient { Timeout = (int)smtp.CommandTimeout.TotalMilliseconds };
        Socket? socket = null;
        try
        {
            // Our own socket, for NoDelay: MailKit writes a message in pieces, and with Nagle's algorithm
            // the last small piece waited for the server's delayed ACK (about 40 ms) on every message,
            // which capped a connection at about 25 messages/s once bodies passed a segment's size.
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(smtp.Host!, smtp.Port, ct);
            await client.ConnectAsync(socket, smtp.Host!, smtp.Port, smtp.Security, ct);
            if (!string.IsNullOrEmpty(smtp.UserName))
            {
                await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", ct);
            }
        }
        catch (Exception e) when (e is SocketException or IOException or SslHandshakeException or AuthenticationException or SmtpProtocolException)
        {
            client.Dispose();
            socket?.Dispose();
            logger.LogWarning("Cannot connect to SMTP server {Host}:{Port}: {Error}", smtp.Host, smtp.Port, e.Message);
            throw;
        }
        return client;
    }

    private void Return(SmtpClient client)
    {
        if (_disposed)
        {
            Discard(client);
            return;
        }
        _idle.Add(new Pooled(client, Environment.TickCount64));
    }

    private static void Discard(SmtpClient client)
    {
        // No QUIT: the connection is suspect or idle too long; closing the socket is enough.
        try
        {
            client.Disconnect(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ServiceNotConnectedException or ObjectDisposedException or InvalidOperationException)
        {
            // Already gone.
        }
        client.Dispose();
    }

    /// <summary>Closes the pooled connections politely (QUIT) when the host stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idle.TryTake(out var pooled))
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await pooled.Client.DisconnectAsync(true, timeout.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ServiceNotConnectedException or SmtpCommandException or SmtpProtocolException)
            {
                // The server is gone already: nothing to close politely.
            }
            pooled.Client.Dispose();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var pooled))
        {
            Discard(pooled.Client);
        }
    }
}

public static class MailSetup
{
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MailOptions>(configuration.GetSection("Mail"));
        services.AddSingleton<IEmailSender, SmtpEmailSender>();
        return services;
    }
}
