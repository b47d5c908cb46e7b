using PolicyMatch.Web.Features.Notices.Email;
using PolicyMatch.Web.Infrastructure.Jobs;
using PolicyMatch.Web.Infrastructure.Time;

namespace PolicyMatch.Web.Features.Notices;

public static class NoticesFeature
{
    /// <summary>The notices feature's services (authoring, fan-out, dispatch, inbox, subscriptions) and its recurring jobs.</summary>
    public static IServiceCollection AddNoticesFeature(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<NoticesOptions>(configuration.GetSection("Notices"));
        services.Configure<PortalOptions>(configuration.GetSection("Portal"));
        services.AddSingleton<NoticeSchedules>();
        services.AddSingleton<NoticeOutbox>();
        services.AddSingleton<DeliveryQueue>();
        services.AddSingleton<DeliveryDashboard>();
        services.AddSingleton<NoticeInbox>();
        services.AddSingleton<RecipientResolver>();
        services.AddSingleton<NoticeAuthoring>();
        services.AddSingleton<NoticeAttachments>();
        services.AddSingleton<NoticeFanOut>();
        services.AddSingleton<NoticeReminders>();
        services.AddSingleton<UnsubscribeTokens>();
        services.AddSingleton<NoticeEmailRenderer>();
        services.AddSingleton<DeliveryDispatcher>();
        // Intervals from Jobs:FanOutInterval / Jobs:DispatchInterval; calendar times are Beijing time.
        services.AddRecurringJob<NoticeJobs>(NoticeJobs.FanOutId, j => j.FanOutAsync(CancellationToken.None), o => JobsSetup.Every(o.FanOutInterval), BeijingTime.Zone);
        services.AddRecurringJob<NoticeJobs>(NoticeJobs.DispatchId, j => j.DispatchAsync(CancellationToken.None), o => JobsSetup.Every(o.DispatchInterval), BeijingTime.Zone);
        services.AddRecurringJob<NoticeJobs>(NoticeJobs.DeadlineRemindersId, j => j.DeadlineRemindersAsync(CancellationToken.None), _ => "0 8 * * *", BeijingTime.Zone);
        services.AddRecurringJob<NoticeJobs>(NoticeJobs.ExpiryRemindersId, j => j.ExpiryRemindersAsync(CancellationToken.None), _ => "15 8 * * *", BeijingTime.Zone);
        services.AddRecurringJob<NoticeJobs>(NoticeJobs.DigestId, j => j.DigestAsync(CancellationToken.None), _ => "0 9 * * MON", BeijingTime.Zone);
        return services;
    }
}
