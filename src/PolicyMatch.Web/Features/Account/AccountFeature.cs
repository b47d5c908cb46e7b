using Microsoft.AspNetCore.Authentication.Cookies;

namespace PolicyMatch.Web.Features.Account;

public static class AccountFeature
{
    /// <summary>Accounts, sign-in (the authentication cookie) and personal data.</summary>
    public static IServiceCollection AddAccountFeature(this IServiceCollection services)
    {
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = "/account/login";
                options.AccessDeniedPath = "/error/403";
                options.Cookie.Name = "PolicyMatch.Auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromDays(7);
                // The API answers 401/403, never a redirect to a login page.
                options.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
                options.Events.OnValidatePrincipal = SecurityStamps.ValidateAsync;
            });
        services.AddAuthorization();
        return services
            .AddSingleton<UserRepository>()
            .AddSingleton<AccountService>()
            .AddSingleton<Registration>()
            .AddSingleton<PersonalData>();
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
