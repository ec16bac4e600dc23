/*
 * cmd.h: what every command's argument parsing shares.
 */
#ifndef AWAAZ_CMD_H
#define AWAAZ_CMD_H

/*
 * After getopt: refuses operands a command does not take, printing the
 * command's usage to stderr.  Returns 2 (the usage exit status) when there
 * are some, 0 otherwise.
 */
int	cmd_no_operands(int argc, char **argv, const char *usage);

#endif
