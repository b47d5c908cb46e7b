namespace PolicyMatch.Web.Features.Home;

public static class HomeFeature
{
    /// <summary>The home page's figures and deadlines.</summary>
    public static IServiceCollection AddHomeFeature(this IServiceCollection services) => services
        .AddSingleton<HomePage>();
}
