#pragma once
// Memory -> CPU: Lambda gives a sandbox M/1769 of a vCPU (6 at most), enforced by CFS bandwidth
// with a 20 ms period, and shows it 2 cores up to 3,008 MB, then 3..6 (reference/perf-model.md §1).
namespace lambdalab::model {

struct CpuSettings {
    double mb_per_vcpu = 1769.0;  // memory that buys one vCPU of credit
    double max_vcpus = 6.0;
    int cfs_period_us = 20000;
    // Calibration: how much of one host core a Lambda vCPU is worth (0.5 = a Lambda vCPU is half as
    // fast as this host's core). Scales every quota.
    double host_cores_per_vcpu = 1.0;
};

// vCPU-seconds of credit per second for a memory size.
double vcpu_share(int memory_mb, const CpuSettings& settings);

// Cores the function sees (nproc) at a memory size: 2 up to 3,008 MB, then 3/4/5/6 from 3,009/5,308/7,077/8,846.
int visible_vcpus(int memory_mb);

struct CpuLimit {
    long quota_us = 0;            // CFS quota per period, in host-core microseconds
    long period_us = 0;           // CFS period
    int cpus = 0;                 // cores to expose, capped by the host's
    bool host_too_small = false;  // the host has fewer cores than the vCPUs asked for
};

// The CFS limit that reproduces Lambda's share on this host. `boost_to_one_vcpu` models on-demand
// INIT, which runs with at least one full vCPU.
CpuLimit cpu_limit(int memory_mb, const CpuSettings& settings, int host_cores, bool boost_to_one_vcpu = false);

}  // namespace lambdalab::model
