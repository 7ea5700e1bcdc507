// THR006: a lambda started in a loop reads the loop's variable when it runs, not when it was started.
Console.WriteLine("THR006 sample: each task should print its own index 0-3.");

var tasks = new List<Task>();

// Hazard: 'i' is one variable for the whole loop; the tasks usually print 4, 4, 4, 4.
for (int i = 0; i < 4; i++)
{
    tasks.Add(Task.Run(() => Print("shared", i))); // expect: THR006
}

// Hazard: a counter declared before the loop and changed in it.
int attempt = 0;
while (attempt < 4)
{
    tasks.Add(Task.Run(() => Print("counter", attempt))); // expect: THR006
    attempt++;
}

// Fixed: a copy declared inside the loop is a new variable in every iteration.
for (int i = 0; i < 4; i++)
{
    var index = i;
    tasks.Add(Task.Run(() => Print("copied", index)));
}

// Fixed: foreach variables are new in every iteration (C# 5 and later).
foreach (var index in Enumerable.Range(0, 4))
{
    tasks.Add(Task.Run(() => Print("foreach", index)));
}

Task.WaitAll(tasks.ToArray());

static void Print(string label, int index) => Console.WriteLine($"{label}: {index}");
