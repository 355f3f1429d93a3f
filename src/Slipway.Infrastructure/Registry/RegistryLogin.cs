using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.Registry;

/// <summary>
/// A run's registry login: <c>docker login</c> with the spec's registry-credentials when a stage first needs it (the
/// push, or an apply whose backend pulls through docker's credentials: compose, and swarm's --with-registry-auth), at
/// most once per process, recorded in the run record; and <c>docker logout</c> of every server the run logged in to
/// when the run ends, however it ends (succeeded, failed, rolled back, interrupted), so the token does not stay in
/// docker's credential store after Slipway is done. A run killed before its end is logged out by its resume.
/// </summary>
internal static class RegistryLogin
{
    /// <summary>Logs in to the spec's registry-credentials server unless this process already did for this run.</summary>
    public static async Task EnsureAsync(RunContext context, CancellationToken cancellationToken)
    {
        var session = context.Session;
        if (session.Spec.RegistryCredentials is not { } credentials || context.LoggedIn.Contains(credentials.Server)) return;
        var request = new PushRequest(session.Spec.ImageRegistry?.Value ?? credentials.Server)
        {
            Credentials = credentials,
            SpecDirectory = session.SpecDirectory,
            GetEnvironment = context.GetEnvironment,
        };
        var token = ImagePublisher.CheckLogin(request)!;
        // Recorded before the login: a run killed during it still logs out at its resume's end.
        if (!context.Run.RegistryLogins.Contains(credentials.Server))
        {
            context.Run.RegistryLogins.Add(credentials.Server);
            context.Save();
        }

        await context.Tools.Docker.LoginAsync(credentials.Server, credentials.Username!, token,
            credentials.TokenEnv is { } v ? "$" + v : credentials.TokenFile ?? "the token file", cancellationToken);
        context.LoggedIn.Add(credentials.Server);
    }

    /// <summary>The run's end: <c>docker logout</c> of each server it logged in to; a failed logout is a warning, never the run's outcome.</summary>
    public static async Task LogoutAsync(RunContext context)
    {
        if (context.Run.RegistryLogins.Count == 0) return;
        foreach (var server in context.Run.RegistryLogins.ToList())
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var result = await context.Tools.Docker.RunAsync(["logout", server], timeout.Token, TimeSpan.FromSeconds(30));
            if (result.Succeeded)
            {
                context.Log.Note($"registry: logged out of {server}");
                context.Run.RegistryLogins.Remove(server);
            }
            else
            {
                context.Reporter.Warn($"docker logout {server} failed ({result.Tail(2)}): the login stays in docker's credential store; run 'docker logout {server}'");
            }
        }

        context.LoggedIn.Clear();
        context.Save();
    }
}
