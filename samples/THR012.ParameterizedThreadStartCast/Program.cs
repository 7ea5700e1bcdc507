// THR012: a ParameterizedThreadStart body receives its argument as object and casts it back. Thread.Start(object)
// accepts anything, so a wrong argument is no compile error but an InvalidCastException on the new thread.

Console.WriteLine("THR012 sample: typed arguments for threads.");
new Importer().Run(new ImportJob("orders.csv"));
Console.WriteLine("Done.");

internal sealed record ImportJob(string File);

internal sealed class Importer
{
    public void Run(ImportJob job)
    {
        // Hazard: nothing checks that Start gets an ImportJob.
        var untyped = new Thread(Import); // expect: THR012
        untyped.Start(job);
        untyped.Join();

        // The same with a lambda that casts.
        var alsoUntyped = new Thread(state => Console.WriteLine($"hazard: lambda got {((ImportJob)state!).File}")); // expect: THR012
        alsoUntyped.Start(job);
        alsoUntyped.Join();

        // Fixed: the lambda passes a typed argument, checked where it is written.
        var typed = new Thread(() => ImportTyped(job));
        typed.Start();
        typed.Join();

        // Not flagged: the body does not cast its argument.
        var logger = new Thread(state => Console.WriteLine($"not flagged: {state}"));
        logger.Start(job);
        logger.Join();
    }

    private void Import(object? state)
    {
        var job = (ImportJob)state!;
        Console.WriteLine($"hazard: imported {job.File}");
    }

    private void ImportTyped(ImportJob job) => Console.WriteLine($"fixed: imported {job.File}");
}
