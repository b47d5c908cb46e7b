using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Features.Shared;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Account;

public sealed class RegisterForm
{
    [RequiredText("请填写邮箱", "Enter your email"), EmailText("邮箱格式不正确", "That is not an email address"), LengthText(3, 200, "邮箱过长", "The email is too long")]
    public string? Email { get; set; }

    [RequiredText("请填写姓名", "Enter your name"), LengthText(1, 60, "姓名最多60字", "The name is 60 characters at most")]
    public string? DisplayName { get; set; }

    [RequiredText("请设置密码", "Choose a password"), LengthText(10, 200, "密码至少10个字符", "The password needs at least 10 characters")]
    public string? Password { get; set; }

    [RequiredText("请再次输入密码", "Repeat the password"), SameAs(nameof(Password), "两次输入的密码不一致", "The two passwords differ")]
    public string? ConfirmPassword { get; set; }

    /// <summary>"company" (a company's staff) or "advisor" (an incubator's advisor).</summary>
    public string? Kind { get; set; } = Roles.Company;

    [LengthText(0, 100, "孵化器名称最多100字", "The incubator's name is 100 characters at most")]
    public string? IncubatorName { get; set; }

    /// <summary>Consent to the privacy notice (/privacy): required to register.</summary>
    public bool AcceptPrivacy { get; set; }
}

public sealed class LoginForm
{
    [RequiredText("请填写邮箱", "Enter your email")]
    public string? Email { get; set; }

    [RequiredText("请填写密码", "Enter your password")]
    public string? Password { get; set; }

    public string? ReturnUrl { get; set; }
}

public sealed class PasswordForm
{
    [RequiredText("请填写当前密码", "Enter your current password")]
    public string? Current { get; set; }

    [RequiredText("请设置新密码", "Choose a new password"), LengthText(10, 200, "密码至少10个字符", "The password needs at least 10 characters")]
    public string? New { get; set; }

    [RequiredText("请再次输入新密码", "Repeat the new password"), SameAs(nameof(New), "两次输入的密码不一致", "The two passwords differ")]
    public string? Confirm { get; set; }
}

[Route("account")]
public sealed class AccountController(UserRepository users, AccountService accounts, Incubators.IncubatorRepository incubators, Registration registration) : Controller
{
    private static string IncubatorTaken => T("该孵化器已注册,请联系其顾问", "That incubator is registered already: ask its advisor");

    [HttpGet("register")]
    public IActionResult Register() => View(new RegisterForm());

    [HttpPost("register")]
    public async Task<IActionResult> Register(RegisterForm form, CancellationToken ct)
    {
        if (form.Kind is not (Roles.Company or Roles.Advisor))
        {
            ModelState.AddModelError(nameof(form.Kind), T("请选择账户类型", "Choose the kind of account"));
        }
        if (form.Kind == Roles.Advisor && string.IsNullOrWhiteSpace(form.IncubatorName))
        {
            ModelState.AddModelError(nameof(form.IncubatorName), T("请填写孵化器名称", "Enter the incubator's name"));
        }
        if (form.Kind == Roles.Advisor && !string.IsNullOrWhiteSpace(form.IncubatorName) && await incubators.FindByNameAsync(form.IncubatorName, ct) is not null)
        {
            ModelState.AddModelError(nameof(form.IncubatorName), IncubatorTaken);
        }
        if (!form.AcceptPrivacy)
        {
            ModelState.AddModelError(nameof(form.AcceptPrivacy), T("请阅读并同意隐私说明", "Read and accept the privacy notice"));
        }
        if (!ModelState.IsValid)
        {
            return View(form);
        }
        var (outcome, id) = await registration.RegisterAsync(
            form.Email!, form.DisplayName!, AccountService.Hash(form.Password!), form.Kind!, form.IncubatorName, PrivacyNotice.Version, ct);
        switch (outcome)
        {
            case RegistrationOutcome.EmailTaken:
                ModelState.AddModelError(nameof(form.Email), T("该邮箱已注册,请直接登录", "That email is registered already: log in instead"));
                return View(form);
            case RegistrationOutcome.IncubatorTaken:
                ModelState.AddModelError(nameof(form.IncubatorName), IncubatorTaken);
                return View(form);
        }
        var user = (await users.FindAsync(id!.Value, ct))!;
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, AccountService.Principal(user, await users.EnsureSecurityStampAsync(user, ct)));
        return Redirect(form.Kind == Roles.Advisor ? "/incubator" : "/companies");
    }

    [HttpGet("login")]
    public IActionResult Login(string? returnUrl) => View(new LoginForm { ReturnUrl = returnUrl });

    [HttpPost("login")]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Infrastructure.Web.Hardening.LoginPolicy)]
    public async Task<IActionResult> Login(LoginForm form, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return View(form);
        }
        var (result, user) = await accounts.CheckPasswordAsync(form.Email!, form.Password!, ct);
        switch (result)
        {
            case SignInResult.LockedOut:
                ModelState.AddModelError("", T($"登录失败次数过多,请 {AccountService.FailureWindow.TotalMinutes:0} 分钟后再试", $"Too many failed attempts: try again in {AccountService.FailureWindow.TotalMinutes:0} minutes"));
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return View(form);
            case SignInResult.WrongCredentials:
                ModelState.AddModelError("", T("邮箱或密码不正确", "Wrong email or password"));
                return View(form);
        }
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, AccountService.Principal(user!, await users.EnsureSecurityStampAsync(user!, ct)));
        if (!string.IsNullOrEmpty(form.ReturnUrl) && Url.IsLocalUrl(form.ReturnUrl))
        {
            return LocalRedirect(form.ReturnUrl);
        }
        return Redirect(user!.Role switch { Roles.Admin => "/admin", Roles.Advisor => "/incubator", _ => "/companies" });
    }

    [HttpPost("logout")]
    public async Task<IActionResult> Logout(CancellationToken ct)
    {
        // A new stamp, not only a deleted cookie: a copy of the cookie (another tab's, a stolen one) ends too.
        if (CurrentUser.IdOf(User) is long id)
        {
            await users.RotateSecurityStampAsync(id, ct);
        }
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/");
    }

    /// <summary>Ends every session of the user, on every device, this one included.</summary>
    [Authorize]
    [HttpPost("sign-out-everywhere")]
    public async Task<IActionResult> SignOutEverywhere(CancellationToken ct)
    {
        await users.RotateSecurityStampAsync(User.Id(), ct);
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        TempData["Flash"] = T("已在所有设备上退出,请重新登录", "You are signed out everywhere: log in again");
        return Redirect("/account/login");
    }

    [Authorize]
    [HttpGet("password")]
    public IActionResult Password() => View(new PasswordForm());

    [Authorize]
    [HttpPost("password")]
    public async Task<IActionResult> Password(PasswordForm form, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return View(form);
        }
        var me = (await users.FindAsync(User.Id(), ct))!;
        var (result, _) = await accounts.CheckPasswordAsync(me.Email, form.Current!, ct);
        if (result != SignInResult.Success)
        {
            ModelState.AddModelError(nameof(form.Current), result == SignInResult.LockedOut
                ? T("尝试次数过多,请稍后再试", "Too many attempts: try again later")
                : T("当前密码不正确", "The current password is wrong"));
            return View(new PasswordForm());
        }
        // Other sessions end with the old stamp; this one carries on with a cookie holding the new one.
        var stamp = await users.ChangePasswordAsync(me.Id, AccountService.Hash(form.New!), ct);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, AccountService.Principal(me, stamp));
        TempData["Flash"] = T("密码已修改", "Your password is changed");
        return Redirect("/account/password");
    }
}
