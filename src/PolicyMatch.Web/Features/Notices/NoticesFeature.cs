using PolicyMatch.Web.Features.Notices.Email;

namespace PolicyMatch.Web.Features.Notices;

public static class NoticesFeature
{
    /// <summary>The notices feature's services: authoring, fan-out, dispatch, inbox, subscriptions.</summary>
    public static IServiceCollection AddNoticesFeature(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<NoticesOptions>(configuration.GetSection("Notices"));
        services.Configure<PortalOptions>(configuration.GetSection("Portal"));
        services.AddSingleton<NoticeSchedules>();
        services.AddSingleton<NoticeOutbox>();
        services.AddSingleton<NoticeInbox>();
        services.AddSingleton<RecipientResolver>();
        services.AddSingleton<NoticeAuthoring>();
        services.AddSingleton<NoticeFanOut>();
        services.AddSingleton<NoticeReminders>();
        services.AddSingleton<UnsubscribeTokens>();
        services.AddSingleton<NoticeEmailRenderer>();
        services.AddSingleton<DeliveryDispatcher>();
        return services;
    }
}
