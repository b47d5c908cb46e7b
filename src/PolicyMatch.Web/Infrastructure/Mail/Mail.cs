using System.Collections.Concurrent;
using System.Net;
using System.Net.Mail;
using System.Text;
using Microsoft.Extensions.Options;

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
    public bool EnableSsl { get; set; }
    public string? UserName { get; set; }
    public string? Password { get; set; }
}

/// <summary>An email with both bodies; <see cref="Headers"/> carries e.g. List-Unsubscribe.</summary>
public sealed record EmailMessage(string To, string Subject, string HtmlBody, string TextBody, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>The one way the portal sends email. Requests never call it: they write outbox rows.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}

/// <summary>
/// System.Net.Mail behind <see cref="IEmailSender"/> (MailKit is not in the registry here). With an SMTP
/// host it delivers to the server; without one it writes each message as an .eml file to the pickup
/// folder, so the portal runs on a fresh machine with nothing else installed.
/// <para>
/// One SmtpClient sends one message at a time, so callers parallelise (the notice dispatcher runs
/// several sends at once). A client keeps its connection open between sends, and that is most of its
/// speed: a new connection per message manages about 7 messages/s on loopback, a reused one about 22
/// (the rest is a Nagle/delayed-ACK stall inside SmtpClient). So clients are pooled: each send rents an
/// idle one (or makes one), returns it when the server accepted the message, and throws it away on any
/// error (its connection is then suspect). Clients idle longer than <see cref="MaxIdle"/> are closed,
/// well inside the idle timeouts SMTP servers apply.
/// </para>
/// </summary>
public sealed class SmtpEmailSender(IOptions<MailOptions> options) : IEmailSender, IDisposable
{
    public static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(30);
    private const int MaxPooled = 64;

    private sealed record Pooled(SmtpClient Client, string Server, long LastUsed);

    private readonly ConcurrentBag<Pooled> _idle = [];
    private volatile bool _disposed;

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        using var mail = Build(o.From, message);
        if (string.IsNullOrWhiteSpace(o.Smtp.Host))
        {
            var folder = Path.GetFullPath(o.PickupDirectory);
            Directory.CreateDirectory(folder);
            using var pickup = new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = folder };
            await pickup.SendMailAsync(mail, cancellationToken);
            return;
        }
        var server = $"{o.Smtp.Host}:{o.Smtp.Port}:{o.Smtp.EnableSsl}:{o.Smtp.UserName}";
        var client = Rent(server, o.Smtp);
        try
        {
            await client.SendMailAsync(mail, cancellationToken);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        Return(new Pooled(client, server, Environment.TickCount64));
    }

    private SmtpClient Rent(string server, SmtpOptions smtp)
    {
        while (_idle.TryTake(out var pooled))
        {
            if (pooled.Server == server && Environment.TickCount64 - pooled.LastUsed < MaxIdle.TotalMilliseconds)
            {
                return pooled.Client;
            }
            pooled.Client.Dispose();
        }
        var client = new SmtpClient(smtp.Host, smtp.Port) { EnableSsl = smtp.EnableSsl };
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            client.Credentials = new NetworkCredential(smtp.UserName, smtp.Password);
        }
        return client;
    }

    private void Return(Pooled pooled)
    {
        if (_disposed || _idle.Count >= MaxPooled)
        {
            pooled.Client.Dispose();
            return;
        }
        _idle.Add(pooled);
    }

    /// <summary>Closes the pooled connections (QUIT) when the host stops.</summary>
    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var pooled))
        {
            pooled.Client.Dispose();
        }
    }

    internal static MailMessage Build(string from, EmailMessage message)
    {
        var mail = new MailMessage(new MailAddress(from), new MailAddress(message.To))
        {
            // UTF-8 everywhere: Chinese subjects are encoded as RFC 2047 words, bodies as base64/quoted-printable.
            Subject = message.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            BodyEncoding = Encoding.UTF8,
            Body = message.TextBody,
            IsBodyHtml = false,
        };
        mail.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(message.HtmlBody, Encoding.UTF8, "text/html"));
        foreach (var (name, value) in message.Headers ?? new Dictionary<string, string>())
        {
            mail.Headers.Add(name, value);
        }
        return mail;
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
