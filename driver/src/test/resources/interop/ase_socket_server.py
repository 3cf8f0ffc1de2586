"""ASE as an i-PI server: drives MD or a relaxation through SocketIOCalculator while a client answers.

usage: ase_socket_server.py MODE TRANSPORT STRUCTURE STEPS OUT.jsonl
  MODE       md (VelocityVerlet, 1 fs, velocities from a seeded Maxwell-Boltzmann draw at 600 K), relax (BFGS, fixed
             cell) or points (STEPS seeded rattles of STRUCTURE sent with ASE's IPIProtocol directly, then EXIT: ASE 3.22's
             SocketIOCalculator cannot take an extras string longer than one byte, IPIProtocol.sendrecv_force can)
  TRANSPORT  unix:NAME or port:N
Writes one JSON line per force call the dynamics saw (positions, cell, energy, forces, stress, extras as ASE received
them) and a last line {"seconds": wall time of the run, "steps": STEPS}. Prints LISTENING once the socket is bound.
"""
import json
import sys
import time

import numpy as np
from ase.io import read
from ase.calculators.socketio import SocketIOCalculator

mode, transport, structure, steps, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
atoms = read(structure)
kind, value = transport.split(':', 1)
kwargs = {'unixsocket': value} if kind == 'unix' else {'port': int(value)}
records = []


def points():
    import os
    import socket
    from ase.calculators.socketio import IPIProtocol, actualunixsocketname
    from ase.stress import full_3x3_to_voigt_6_stress
    if kind == 'unix':
        path = actualunixsocketname(value)
        server = socket.socket(socket.AF_UNIX)
        server.bind(path)
    else:
        path = None
        server = socket.socket(socket.AF_INET)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(('127.0.0.1', int(value)))
    server.listen(1)
    print('LISTENING', flush=True)
    client, _ = server.accept()
    protocol = IPIProtocol(client)
    rng = np.random.RandomState(3)
    base = atoms.positions.copy()
    start = time.perf_counter()
    for k in range(steps):
        atoms.positions = base + 0.05 * rng.standard_normal(base.shape)
        msg = protocol.status()
        if msg == 'NEEDINIT':
            protocol.sendinit()
            msg = protocol.status()
        assert msg == 'READY', msg
        protocol.sendposdata(atoms.cell.array, np.linalg.pinv(atoms.cell.array).T, atoms.positions)
        assert protocol.status() == 'HAVEDATA'
        e, f, virial, more = protocol.sendrecv_force()
        records.append({'positions': atoms.positions.ravel().tolist(), 'cell': atoms.cell.array.ravel().tolist(),
                        'energy': float(e), 'forces': f.ravel().tolist(),
                        'stress': (-full_3x3_to_voigt_6_stress(virial) / atoms.get_volume()).tolist(),
                        'extras': bytes(more).decode()})
    protocol.end()
    client.close()
    server.close()
    if path:
        os.unlink(path)
    return time.perf_counter() - start


if mode == 'points':
    seconds = points()
    with open(out, 'w') as f:
        for r in records:
            f.write(json.dumps(r) + '\n')
        f.write(json.dumps({'seconds': seconds, 'steps': steps}) + '\n')
    sys.exit(0)

with SocketIOCalculator(timeout=120, **kwargs) as calc:
    print('LISTENING', flush=True)
    atoms.calc = calc

    def record():
        r = {'positions': atoms.positions.ravel().tolist(), 'cell': atoms.cell.array.ravel().tolist(),
             'energy': float(atoms.get_potential_energy()), 'forces': atoms.get_forces().ravel().tolist()}
        if atoms.pbc.all():
            r['stress'] = atoms.get_stress().tolist()
        extra = calc.results.get('morebytes')
        if extra:
            r['extras'] = extra.tobytes().decode() if hasattr(extra, 'tobytes') else bytes(extra).decode()
        records.append(r)

    atoms.get_forces()  # waits for the client to connect; the timed loop starts with a connected, warm client
    start = time.perf_counter()
    if mode == 'md':
        from ase import units
        from ase.md.velocitydistribution import MaxwellBoltzmannDistribution
        from ase.md.verlet import VelocityVerlet
        MaxwellBoltzmannDistribution(atoms, temperature_K=600, rng=np.random.RandomState(7))
        dyn = VelocityVerlet(atoms, 1.0 * units.fs)
        dyn.attach(record, interval=1)
        dyn.run(steps)
    else:
        from ase.optimize import BFGS
        opt = BFGS(atoms, logfile=None)
        opt.attach(record, interval=1)
        opt.run(fmax=1e-3, steps=steps)
    seconds = time.perf_counter() - start

with open(out, 'w') as f:
    for r in records:
        f.write(json.dumps(r) + '\n')
    f.write(json.dumps({'seconds': seconds, 'steps': steps}) + '\n')
