using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Backends.Swarm;

namespace Slipway.Infrastructure.Tests.Backends.Swarm;

public sealed class SwarmTasksTests
{
    private static string Inspect(string name, int replicas = 1, string? update = null, string? message = null) =>
        "{\"Spec\":{\"Name\":\"" + name + "\",\"Mode\":{\"Replicated\":{\"Replicas\":" + replicas + "}},\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"slipway/hello:local\"}}},"
        + (update is null ? "" : "\"UpdateStatus\":{\"State\":\"" + update + "\",\"Message\":\"" + message + "\"},")
        + "\"Endpoint\":{\"Ports\":[{\"Protocol\":\"tcp\",\"TargetPort\":80,\"PublishedPort\":18081}]}}";

    private static string Task(string name, string current, string desired = "Running", string error = "", string id = "abcdefabcdef01") =>
        "{\"CurrentState\":\"" + current + "\",\"DesiredState\":\"" + desired + "\",\"Error\":\"" + error + "\",\"ID\":\"" + id + "\",\"Name\":\"" + name + "\"}";

    private static HealthSnapshot Snapshot(string inspect, params string[] tasks) =>
        SwarmTasks.Snapshot("p", SwarmTasks.ParseServices("p", inspect), string.Join("\n", tasks));

    [Fact]
    public void Services_are_named_without_the_stack_prefix_with_their_replicas_and_published_ports()
    {
        var service = Assert.Single(SwarmTasks.ParseServices("p", Inspect("p_web", replicas: 3)));

        Assert.Equal(("p_web", "web", 3), (service.FullName, service.Name, service.Replicas));
        Assert.Equal(18081, Assert.Single(service.Ports).HostPort);
    }

    [Fact]
    public void A_task_on_a_node_that_is_down_is_not_counted_as_running_and_the_pending_line_names_the_node()
    {
        var tasks = new[] { Task("p_web.1", "Running 5 seconds ago", id: "t1"), Task("p_web.2", "Running 5 seconds ago", id: "t2"), Task("p_web.3", "Assigned 9 seconds ago", id: "t3") };
        var down = new Dictionary<string, string> { ["t3"] = "f0br1lrtu6hr (node3)" };

        var snapshot = SwarmTasks.Snapshot("p", SwarmTasks.ParseServices("p", Inspect("p_web", replicas: 3, update: "updating")), string.Join("\n", tasks), down);

        Assert.Equal(["web (updating)", "web: task p_web.3 is on node f0br1lrtu6hr (node3), which is down"], snapshot.PendingRollouts);
        Assert.Empty(snapshot.FailedRollouts);
        var lost = snapshot.Services.Single(t => t.Name == "p_web.3");
        Assert.NotEqual(ServiceCondition.Ready, lost.Condition);
        Assert.Contains("node f0br1lrtu6hr (node3) is down; last known state: Assigned 9 seconds ago", lost.Health, StringComparison.Ordinal);

        // The same tasks with a converged update: the lost slot still keeps the service from counting as converged.
        var completed = SwarmTasks.Snapshot("p", SwarmTasks.ParseServices("p", Inspect("p_web", replicas: 3, update: "completed")),
            string.Join("\n", Task("p_web.1", "Running 5 seconds ago", id: "t1"), Task("p_web.2", "Running 5 seconds ago", id: "t2"), Task("p_web.3", "Running 9 seconds ago", id: "t3")), down);
        Assert.Equal(["web (2/3 running)", "web: task p_web.3 is on node f0br1lrtu6hr (node3), which is down"], completed.PendingRollouts);
    }

    [Fact]
    public void An_update_waiting_for_an_old_task_on_a_down_node_names_that_node_and_a_converged_service_says_nothing_of_its_leftovers()
    {
        // Stop-first: slot 3's new task waits for the old one, which the manager last saw running on the node now down.
        var down = new Dictionary<string, string> { ["old3"] = "f0br1lrtu6hr (node3)" };
        var tasks = string.Join("\n",
            Task("p_web.1", "Running 5 seconds ago", id: "t1"),
            Task("p_web.2", "Running 5 seconds ago", id: "t2"),
            Task("p_web.3", "Pending 20 seconds ago", desired: "Ready", id: "new3"),
            Task(@" \\_ p_web.3", "Running 40 seconds ago", desired: "Shutdown", id: "old3"));

        var stuck = SwarmTasks.Snapshot("p", SwarmTasks.ParseServices("p", Inspect("p_web", replicas: 3, update: "updating")), tasks, down);

        Assert.Equal(["web (updating)", "web: task p_web.3 is on node f0br1lrtu6hr (node3), which is down"], stuck.PendingRollouts);

        // Swarm finished elsewhere: the old task stays on the down node in the manager's books, and means nothing now.
        var done = string.Join("\n",
            Task("p_web.1", "Running 5 seconds ago", id: "t1"),
            Task("p_web.2", "Running 5 seconds ago", id: "t2"),
            Task("p_web.3", "Running 2 seconds ago", id: "new3"),
            Task(@" \\_ p_web.3", "Running 40 seconds ago", desired: "Shutdown", id: "old3"));
        Assert.Empty(SwarmTasks.Snapshot("p", SwarmTasks.ParseServices("p", Inspect("p_web", replicas: 3, update: "completed")), done, down).PendingRollouts);

        // A task the manager saw shut down before the node went is not stuck there.
        var ended = tasks.Replace("Running 40 seconds ago", "Shutdown 40 seconds ago", StringComparison.Ordinal);
        Assert.Equal(["web (updating)"], SwarmTasks.Snapshot("p", SwarmTasks.ParseServices("p", Inspect("p_web", replicas: 3, update: "updating")), ended, down).PendingRollouts);
    }

    [Fact]
    public void A_service_whose_slots_all_run_their_newest_task_has_converged_and_history_is_ignored()
    {
        var snapshot = Snapshot(Inspect("p_web", update: "completed"),
            Task("p_web.1", "Running 5 seconds ago"),
            Task(@"\\_ p_web.1", "Shutdown 6 seconds ago", desired: "Shutdown"),
            Task(@"\\_ p_web.1", "Failed 30 seconds ago", desired: "Shutdown", error: "old failure"));

        var state = Assert.Single(snapshot.Services);
        Assert.Equal(ServiceCondition.Ready, state.Condition);
        Assert.Empty(snapshot.PendingRollouts);
        Assert.Empty(snapshot.FailedRollouts);
    }

    [Fact]
    public void A_rejected_newest_task_fails_at_once_with_its_error()
    {
        var snapshot = Snapshot(Inspect("p_web"), Task("p_web.1", "Rejected 1 second ago", desired: "Shutdown", error: "No such image: nope:1"));

        Assert.Equal(ServiceCondition.Failed, Assert.Single(snapshot.Services).Condition);
        Assert.Contains("No such image: nope:1", Assert.Single(snapshot.FailedRollouts));
    }

    [Fact]
    public void A_paused_update_fails_an_update_in_progress_waits_and_missing_replicas_wait()
    {
        var paused = Snapshot(Inspect("p_web", update: "paused", message: "update paused due to failure or early termination of task x"), Task("p_web.1", "Running 1 second ago"));
        var updating = Snapshot(Inspect("p_web", update: "updating"), Task("p_web.1", "Running 1 second ago"));
        var short1 = Snapshot(Inspect("p_web", replicas: 2), Task("p_web.1", "Running 1 second ago"), Task("p_web.2", "Preparing 1 second ago"));

        Assert.Contains("update paused due to failure", Assert.Single(paused.FailedRollouts));
        Assert.Equal("web (updating)", Assert.Single(updating.PendingRollouts));
        Assert.Equal("web (1/2 running)", Assert.Single(short1.PendingRollouts));
        Assert.Contains(short1.Services, s => s.Condition == ServiceCondition.Starting);
    }
}
