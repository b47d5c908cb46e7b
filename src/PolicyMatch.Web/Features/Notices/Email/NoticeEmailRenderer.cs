using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Options;
using PolicyMatch.Web.Infrastructure.Mail;

namespace PolicyMatch.Web.Features.Notices.Email;

/// <summary>
/// Turns a message and one recipient into an email: the HTML body from NoticeEmail.razor rendered with
/// <see cref="HtmlRenderer"/> (with the app's HtmlEncoder, so Chinese is not escaped to entities), the
/// plain-text body from the same model, links into the portal (Portal:BaseUrl), a signed unsubscribe
/// link, and the RFC 8058 one-click headers.
/// </summary>
public sealed class NoticeEmailRenderer(IServiceProvider services, ILoggerFactory loggers, IOptions<PortalOptions> portal, UnsubscribeTokens tokens, NoticeOutbox outbox)
{
    /// <summary>The model of the email one user gets, reading which of their companies the message concerns.</summary>
    public async Task<NoticeEmailModel> ModelAsync(MessageRow message, long userId, string displayName, CancellationToken ct = default) =>
        await ModelAsync(message, userId, displayName, message.NoticeId is null ? [] : await outbox.CompaniesConcernedAsync(message.Id, userId, ct), ct);

    private async Task<NoticeEmailModel> ModelAsync(MessageRow message, long userId, string displayName, IReadOnlyList<ConcernedCompany> concerned, CancellationToken ct)
    {
        var p = portal.Value;
        var token = await tokens.IssueAsync(userId, message.Kind, ct);
        return new NoticeEmailModel(
            message.Kind,
            message.Title,
            displayName,
            message.Body,
            message.WindowText(),
            message.Items().Select(i => new EmailLink(i.Title, p.Url("/measures/" + Uri.EscapeDataString(i.Id)))).ToList(),
            p.Url(message.Link),
            message.NoticeId is null ? "在门户中查看" : "查看通知全文",
            p.Url("/unsubscribe/" + token),
            p.Url("/subscriptions"))
        {
            Companies = concerned.Select(c => c.Name).ToList(),
            Unverified = concerned.Where(c => c.VerifiedAt is null).Select(c => c.Name).ToHashSet(),
        };
    }

    public async Task<EmailMessage> RenderAsync(MessageRow message, ClaimedDelivery delivery, CancellationToken ct = default)
    {
        // The dispatcher's claim has read the companies named (ClaimedDelivery.Concerned): no read per email.
        var model = await ModelAsync(message, delivery.UserId, delivery.DisplayName, message.NoticeId is null ? [] : delivery.Concerned, ct);
        var html = await RenderHtmlAsync(model);
        var unsubscribe = model.UnsubscribeUrl.Replace("/unsubscribe/", "/api/unsubscribe/", StringComparison.Ordinal);
        var headers = new Dictionary<string, string>
        {
            // RFC 8058: mail clients POST "List-Unsubscribe=One-Click" to this address, without a login.
            ["List-Unsubscribe"] = $"<{unsubscribe}>",
            ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
            // RFC 3834: no out-of-office replies to an automatic message.
            ["Auto-Submitted"] = "auto-generated",
            // Traces an email back to its delivery row (support, and the tests' duplicate count).
            ["X-PolicyMatch-Delivery"] = delivery.Id.ToString(CultureInfo.InvariantCulture),
        };
        if (!model.CanUnsubscribe)
        {
            // A request that needs the user's decision is not a mailing list.
            headers.Remove("List-Unsubscribe");
            headers.Remove("List-Unsubscribe-Post");
        }
        return new EmailMessage(delivery.Email, model.Subject, html, model.Text(), headers);
    }

    public async Task<string> RenderHtmlAsync(NoticeEmailModel model)
    {
        // A renderer keeps every root component it rendered: one per email, disposed with it.
        await using var renderer = new HtmlRenderer(services, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<NoticeEmail>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(NoticeEmail.Model)] = model,
            }));
            return output.ToHtmlString();
        });
    }
}
