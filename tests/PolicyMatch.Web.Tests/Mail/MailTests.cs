using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
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
        new Dictionary<string, string> { ["List-Unsubscribe"] = "<https://policymatch.local/unsubscribe/abc>" });

    [Fact]
    public async Task Without_SMTP_each_email_is_written_as_an_eml_file_with_its_Chinese_subject_encoded()
    {
        var sender = new SmtpEmailSender(Options.Create(new MailOptions { PickupDirectory = _dir }));
        await sender.SendAsync(Message);

        var file = Assert.Single(Directory.GetFiles(_dir, "*.eml"));
        var eml = await File.ReadAllTextAsync(file);
        Assert.Contains("Subject: =?utf-8?", eml, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("List-Unsubscribe: <https://policymatch.local/unsubscribe/abc>", eml);
        Assert.Contains("text/html", eml);
        Assert.Contains("text/plain", eml);
    }

    /// <summary>Needs maildev on 127.0.0.1 (started by .ci/test.sh); fails, never skips, without it.</summary>
    [Fact]
    public async Task With_SMTP_the_email_reaches_a_real_server_intact()
    {
        var smtpPort = int.Parse(Environment.GetEnvironmentVariable("MAILDEV_SMTP_PORT") ?? "1025");
        var webPort = int.Parse(Environment.GetEnvironmentVariable("MAILDEV_WEB_PORT") ?? "1080");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}") };
        var to = $"t{Guid.NewGuid():N}@example.com";
        var sender = new SmtpEmailSender(Options.Create(new MailOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = smtpPort } }));

        await sender.SendAsync(Message with { To = to });

        JsonNode? found = null;
        for (var attempt = 0; attempt < 50 && found is null; attempt++)
        {
            var all = await http.GetFromJsonAsync<JsonArray>("/email");
            found = all!.FirstOrDefault(m => m!["to"]!.AsArray().Any(a => (string?)a!["address"] == to));
            if (found is null) await Task.Delay(100);
        }
        Assert.NotNull(found);
        Assert.Equal("关于领取2024年政策资金的通知", (string?)found!["subject"]);
        Assert.Contains("符合", (string?)found["html"]);
        Assert.Contains("您的企业符合条件。", (string?)found["text"]);
    }

    public void Dispose() => TempDirectory.Delete(_dir);
}
