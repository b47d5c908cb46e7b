using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using PolicyMatch.Web.Features.Account;

namespace PolicyMatch.Web.Tests.Infrastructure;

/// <summary>A signed-in browser-like client: cookies kept, antiforgery tokens read from each form.</summary>
public sealed class Session(HttpClient client, long userId, string email) : IDisposable
{
    public HttpClient Client { get; } = client;
    public long UserId { get; } = userId;
    public string Email { get; } = email;

    public async Task<IHtmlDocument> PageAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"GET {url}: expected {(int)expected}, got {(int)response.StatusCode}\n{html[..Math.Min(html.Length, 1500)]}");
        return await Html.ParseAsync(html);
    }

    /// <summary>
    /// Reads the antiforgery token from the form with this action on <paramref name="formPage"/> and
    /// posts the fields with it — so a form that forgot its token fails here. Tests of what an
    /// attacker can do (posting to a form they were never shown) pass <paramref name="anyToken"/>
    /// to borrow the session's token from any form on the page.
    /// </summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, string action, IEnumerable<KeyValuePair<string, string>> fields, bool anyToken = false)
    {
        var page = await PageAsync(formPage);
        var token = page.QuerySelector($"form[action='{action}'] input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? (anyToken ? page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value") : null)
            ?? throw new InvalidOperationException($"no antiforgery token in a form posting to {action} on {formPage}");
        return await Client.PostAsync(action, new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token))));
    }

    public void Dispose() => Client.Dispose();
}

public static class Sessions
{
    public const string Password = "correct horse battery";

    /// <summary>Creates a user of the role directly in the database.</summary>
    public static async Task<(long Id, string Email)> CreateUserAsync(this Portal portal, string role, string? name = null)
    {
        var email = $"{role}-{Guid.NewGuid():N}@example.com";
        var id = await portal.Service<UserRepository>().CreateAsync(email, name ?? $"{role} 用户", AccountService.Hash(Password), role);
        return (id!.Value, email);
    }

    /// <summary>A new user of the role, signed in through the real login form.</summary>
    public static async Task<Session> SignInAsync(this Portal portal, string role, string? name = null)
    {
        var (id, email) = await portal.CreateUserAsync(role, name);
        return await portal.SignInAsync(id, email);
    }

    public static async Task<Session> SignInAsync(this Portal portal, long id, string email)
    {
        var session = new Session(portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }), id, email);
        var response = await session.PostFormAsync("/account/login", "/account/login", [new("Email", email), new("Password", Password)]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return session;
    }

    public static Session Anonymous(this Portal portal) =>
        new(portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }), 0, "");
}
