/* record_cli.h - the command-line modes for real processes: vmviz record
 * PROG (ui/record_cli.c), vmviz attach PID (ui/attach_cli.c) and vmviz
 * snapshot PID (ui/snapshot_cli.c). */
#ifndef VMVIZ_RECORD_CLI_H
#define VMVIZ_RECORD_CLI_H

/* argv[0] is the mode word. Each returns the exit status. */
int record_main(int argc, char **argv);
int attach_main(int argc, char **argv);
int snapshot_main(int argc, char **argv);

#endif
