using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Account;

public sealed record PersonalDataView(UserRow User, IReadOnlyList<SoleOwnedCompany> SoleOwned, IReadOnlyDictionary<string, string> Errors);

/// <summary>
/// The privacy notice (public), and a user's own data: download it as JSON, delete the account.
/// Everything here is the signed-in user's own; there is no id in any URL to tamper with.
/// </summary>
public sealed class PersonalDataController(PersonalData data, UserRepository users, AccountService accounts) : Controller
{
    [HttpGet("/privacy")]
    public IActionResult Privacy() => View("Privacy");

    [Authorize]
    [HttpGet("/account/data")]
    public async Task<IActionResult> Index(CancellationToken ct) => await PageAsync(new Dictionary<string, string>(), ct);

    private async Task<IActionResult> PageAsync(IReadOnlyDictionary<string, string> errors, CancellationToken ct)
    {
        var me = await users.FindAsync(User.Id(), ct);
        if (me is null)
        {
            return NotFound();
        }
        Response.Headers.CacheControl = "no-store";
        return View("Data", new PersonalDataView(me, await data.SoleOwnedAsync(me.Id, ct), errors));
    }

    /// <summary>Everything stored about the user, as a JSON file; never cached.</summary>
    [Authorize]
    [HttpGet("/account/data.json")]
    public async Task<IActionResult> Download(CancellationToken ct)
    {
        var json = (await data.ExportAsync(User.Id(), ct)).ToJsonString(new System.Text.Json.JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        Response.Headers.CacheControl = "no-store";
        return File(Encoding.UTF8.GetBytes(json), "application/json; charset=utf-8", $"policymatch-my-data-{DateTime.UtcNow:yyyyMMdd}.json");
    }

    /// <summary>
    /// Deletes the account after its password and an explicit confirmation, with a decision for every
    /// company the user alone owns (hand it to a member, or remove it). Administrators are managed
    /// from the command line, not here.
    /// </summary>
    [Authorize]
    [HttpPost("/account/delete")]
    public async Task<IActionResult> Delete([FromForm] string? password, [FromForm] string? confirm, CancellationToken ct)
    {
        var me = await users.FindAsync(User.Id(), ct);
        if (me is null)
        {
            return NotFound();
        }
        var errors = new Dictionary<string, string>();
        if (me.Role == Roles.Admin)
        {
            errors[""] = T("管理员账户不能在此删除,请使用命令行管理。", "Administrator accounts are not deleted here: use the command line.");
        }
        if (confirm != "yes")
        {
            errors["confirm"] = T("请勾选确认删除账户", "Tick the box to confirm deleting the account");
        }
        if (string.IsNullOrEmpty(password) || (await accounts.CheckPasswordAsync(me.Email, password, ct)).Result != SignInResult.Success)
        {
            errors["password"] = T("密码不正确", "The password is wrong");
        }
        var decisions = new Dictionary<long, string>();
        foreach (var company in await data.SoleOwnedAsync(me.Id, ct))
        {
            var value = Request.Form[$"company-{company.Id.ToString(CultureInfo.InvariantCulture)}"].ToString();
            if (value != "remove" && !company.Members.Any(m => value == $"member:{m.UserId}"))
            {
                errors[$"company-{company.Id}"] = T($"请选择“{company.Name}”交给哪位成员,或删除该企业", $"Choose a member to hand {company.Name} to, or remove it");
            }
            decisions[company.Id] = value;
        }
        if (errors.Count == 0 && await data.DeleteAsync(me.Id, decisions, ct) is { } stale)
        {
            // The companies changed since the page was shown (a member left): ask again.
            errors[""] = T($"“{stale}”的情况已变化,请重新选择。", $"{stale} changed meanwhile: choose again.");
        }
        if (errors.Count > 0)
        {
            var page = await PageAsync(errors, ct);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return page;
        }
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        TempData["Flash"] = T("您的账户已删除。", "Your account is deleted.");
        return Redirect("/");
    }
}
