using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Features.Account;

namespace PolicyMatch.Web.Features.Notices;

public sealed record UnsubscribeView(string Token, UnsubscribeRequest? Request, string? MaskedEmail, bool Subscribed, bool Done);

/// <summary>
/// The unsubscribe link of every email, without logging in: the signed token names the user and the
/// kind. GET shows what will stop and a button; the POST (with the page's antiforgery token) unsubscribes.
/// A token that is tampered with or expired is refused with a 400 and a way to manage subscriptions.
/// </summary>
[AllowAnonymous]
public sealed class UnsubscribeController(UnsubscribeTokens tokens, NoticeInbox inbox, UserRepository users) : Controller
{
    [HttpGet("/unsubscribe/{token}")]
    public async Task<IActionResult> Confirm(string token, bool done, CancellationToken ct)
    {
        var request = await tokens.ReadAsync(token, ct);
        var user = request is null ? null : await users.FindAsync(request.UserId, ct);
        if (request is null || user is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Unsubscribe", new UnsubscribeView(token, null, null, false, false));
        }
        var subscribed = await inbox.IsSubscribedAsync(request.UserId, request.Kind, ct);
        return View("Unsubscribe", new UnsubscribeView(token, request, Mask(user.Email), subscribed, done));
    }

    [HttpPost("/unsubscribe/{token}")]
    public async Task<IActionResult> Unsubscribe(string token, CancellationToken ct)
    {
        if (await tokens.ReadAsync(token, ct) is not { } request)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Unsubscribe", new UnsubscribeView(token, null, null, false, false));
        }
        await inbox.UnsubscribeAsync(request.UserId, request.Kind, ct);
        return Redirect($"/unsubscribe/{Uri.EscapeDataString(token)}?done=true");
    }

    /// <summary>z***@example.com: enough for the owner to recognise, little for anyone else.</summary>
    internal static string Mask(string email)
    {
        var at = email.IndexOf('@');
        return at <= 0 ? "***" : email[..1] + "***" + email[at..];
    }
}

/// <summary>
/// RFC 8058 one-click unsubscribe: the address in the List-Unsubscribe header. Mail clients POST
/// "List-Unsubscribe=One-Click" here with no cookies and no antiforgery token; the signed token in the
/// path is the whole authority, so there is nothing for a forged request to borrow. A client that opens
/// the address in a browser instead is sent to the confirmation page.
/// </summary>
[ApiController]
[Route("api/unsubscribe")]
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class OneClickUnsubscribeController(UnsubscribeTokens tokens, NoticeInbox inbox) : ControllerBase
{
    [HttpPost("{token}")]
    public async Task<IActionResult> Unsubscribe(string token, CancellationToken ct)
    {
        if (await tokens.ReadAsync(token, ct) is not { } request)
        {
            return Problem(statusCode: StatusCodes.Status400BadRequest, title: "This unsubscribe link is not valid (altered or expired).");
        }
        await inbox.UnsubscribeAsync(request.UserId, request.Kind, ct);
        return Ok(new { unsubscribed = true, kind = request.Kind });
    }

    [HttpGet("{token}")]
    public IActionResult Open(string token) => Redirect($"/unsubscribe/{Uri.EscapeDataString(token)}");
}
