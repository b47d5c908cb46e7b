namespace PolicyMatch.Web.Features.Notices;

public static class NoticesFeature
{
    /// <summary>The notices feature's services: authoring, fan-out, dispatch, inbox, subscriptions.</summary>
    public static IServiceCollection AddNoticesFeature(this IServiceCollection services, IConfiguration configuration) => services;
}
