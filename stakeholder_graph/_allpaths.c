/* SPDX-License-Identifier: MIT
 *
 * One breadth-first pass from each source of an unweighted undirected graph, split over threads,
 * accumulating at once what betweenness and closeness need:
 *
 *   dependency[v]    sum over sources s of delta_s(v), Brandes' dependency of s on v [1]
 *   dependency_sq[v] sum over sources s of delta_s(v)^2 (for the estimate's error bound)
 *   distance[v]      sum over sources s that reach v (s != v) of d(s, v)
 *   distance_sq[v]   sum of d(s, v)^2 over the same sources
 *   reached[v]       number of sources s != v that reach v
 *   eccentricity[i]  the eccentricity of sources[i] within its component
 *
 * With every vertex as a source, dependency[v] is twice the unordered-pair betweenness of v and,
 * the graph being undirected, distance[v] and reached[v] are v's own distance sum and reach: exact
 * betweenness and closeness from one traversal. With sampled sources they are the sums that
 * Brandes-Pich betweenness [2] and Eppstein-Wang closeness [3] estimates scale.
 *
 * Dependencies are accumulated without predecessor lists: the search records each shortest-path step
 * (v, u), u one level further from the source, as it finds it, and the steps are walked backwards. Only
 * the steps are visited, not every arc again (which halved the pass: benchmarks/README.md).
 *
 * [1] U. Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociol. 25(2), 2001.
 * [2] U. Brandes and C. Pich, "Centrality estimation in large networks", Int. J. Bifurcation and
 *     Chaos 17(7), 2007.
 * [3] D. Eppstein and J. Wang, "Fast approximation of centrality", J. Graph Algorithms Appl. 8(1), 2004.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The sources go in chunks of CHUNK; chunk c is summed in lane c % LANES, each lane's chunks in order,
 * and the lanes are added in order at the end: the same floating-point sums whatever the number of
 * threads, so every machine gives the same values. A thread takes the next lane not yet taken when it
 * finishes one, so a thread that gets less of the machine (a map's other work runs beside the pass)
 * takes fewer lanes. Distances and counts are whole numbers, exact in any order: summed per thread. */
#define CHUNK 16
#define LANES 8

typedef struct {
    int32_t n;
    const int64_t *indptr;
    const int32_t *indices;
    const int32_t *sources;
    int64_t nsources;
    atomic_int *next_lane; /* shared: the next lane not yet taken (threads take lanes as they finish) */
    int failed;
    double **dependency, **dependency_sq; /* per lane, shared: lane l written by one thread only */
    double *distance, *distance_sq, *reached; /* this thread's */
    int32_t *eccentricity; /* shared, one slot per source, each written by one thread */
} Work;

static void *run(void *arg) {
    Work *w = (Work *)arg;
    const int32_t n = w->n;
    int32_t *dist = malloc(sizeof(int32_t) * (size_t)n);
    int32_t *order = malloc(sizeof(int32_t) * (size_t)n);
    double *sigma = malloc(sizeof(double) * (size_t)n);
    double *delta = malloc(sizeof(double) * (size_t)n);
    /* the shortest-path steps (v, u) of one search, in the order found: at most one per arc */
    int32_t *steps = malloc(sizeof(int32_t) * 2 * (size_t)(w->indptr[n] > 0 ? w->indptr[n] : 1));
    if (!dist || !order || !sigma || !delta || !steps) {
        w->failed = 1;
        goto done;
    }
    for (int32_t i = 0; i < n; i++) dist[i] = -1;
    for (int lane = atomic_fetch_add(w->next_lane, 1); lane < LANES; lane = atomic_fetch_add(w->next_lane, 1)) {
        double *dependency = w->dependency[lane], *dependency_sq = w->dependency_sq[lane];
        for (int64_t chunk = lane;; chunk += LANES) {
            int64_t first = chunk * CHUNK;
            if (first >= w->nsources) break;
            int64_t last = first + CHUNK < w->nsources ? first + CHUNK : w->nsources;
            for (int64_t k = first; k < last; k++) {
                int32_t s = w->sources[k];
                int32_t head = 0, tail = 0;
                dist[s] = 0;
                sigma[s] = 1.0;
                delta[s] = 0.0;
                order[tail++] = s;
                int64_t nsteps = 0;
                while (head < tail) {
                    int32_t v = order[head++];
                    int32_t dv = dist[v] + 1;
                    double sv = sigma[v];
                    for (int64_t e = w->indptr[v]; e < w->indptr[v + 1]; e++) {
                        int32_t u = w->indices[e];
                        if (dist[u] < 0) {
                            dist[u] = dv;
                            sigma[u] = 0.0;
                            delta[u] = 0.0;
                            order[tail++] = u;
                        }
                        if (dist[u] == dv) {
                            sigma[u] += sv;
                            steps[nsteps++] = v;
                            steps[nsteps++] = u;
                        }
                    }
                }
                w->eccentricity[k] = dist[order[tail - 1]];
                /* Backwards over the steps: every step out of u was found after every step into u (u is
                 * further from the source), so delta[u] is complete when a step into it is met. */
                for (int64_t i = nsteps - 2; i >= 0; i -= 2) {
                    int32_t v = steps[i], u = steps[i + 1];
                    delta[v] += sigma[v] * ((1.0 + delta[u]) / sigma[u]);
                }
                for (int32_t i = tail - 1; i > 0; i--) {
                    int32_t v = order[i];
                    int32_t dv = dist[v];
                    dependency[v] += delta[v];
                    dependency_sq[v] += delta[v] * delta[v];
                    w->distance[v] += dv;
                    w->distance_sq[v] += (double)dv * dv;
                    w->reached[v] += 1.0;
                }
                for (int32_t i = 0; i < tail; i++) dist[order[i]] = -1;
            }
        }
    }
done:
    free(dist);
    free(order);
    free(sigma);
    free(delta);
    free(steps);
    return NULL;
}

static int get_buffer(PyObject *obj, Py_buffer *view, const char *name, Py_ssize_t itemsize, int writable,
                      Py_ssize_t length) {
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | (writable ? PyBUF_WRITABLE : 0)) < 0) return -1;
    if (view->itemsize != itemsize || (length >= 0 && view->len / itemsize != length)) {
        PyErr_Format(PyExc_ValueError, "%s: wrong item size or length", name);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* The compressed rows of a graph into b[0] and b[1]: indptr int64[n+1] running from 0 to m, indices
 * int32[m] each a vertex; *n gets the number of vertices. On an error nothing is held. */
static int get_rows(PyObject *indptr_obj, PyObject *indices_obj, Py_buffer *b, Py_ssize_t *n) {
    if (get_buffer(indptr_obj, &b[0], "indptr", 8, 0, -1) < 0) return -1;
    *n = b[0].len / 8 - 1;
    if (*n < 0 || *n > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "indptr: wrong length");
        PyBuffer_Release(&b[0]);
        return -1;
    }
    if (get_buffer(indices_obj, &b[1], "indices", 4, 0, -1) < 0) {
        PyBuffer_Release(&b[0]);
        return -1;
    }
    const int64_t *indptr = b[0].buf;
    const int32_t *indices = b[1].buf;
    Py_ssize_t m = b[1].len / 4;
    const char *problem = NULL;
    if (indptr[0] != 0 || indptr[*n] != m) problem = "indptr does not match indices";
    for (Py_ssize_t i = 0; !problem && i < m; i++)
        if (indices[i] < 0 || indices[i] >= *n) problem = "indices: vertex out of range";
    if (problem) {
        PyErr_SetString(PyExc_ValueError, problem);
        PyBuffer_Release(&b[0]);
        PyBuffer_Release(&b[1]);
        return -1;
    }
    return 0;
}

/* passes(indptr: int64[n+1], indices: int32[m], sources: int32[k], threads: int,
 *        dependency, dependency_sq, distance, distance_sq, reached: float64[n] (added to),
 *        eccentricity: int32[k]) */
static PyObject *passes(PyObject *self, PyObject *args) {
    PyObject *objs[9];
    int threads;
    if (!PyArg_ParseTuple(args, "OOOiOOOOOO", &objs[0], &objs[1], &objs[2], &threads, &objs[3], &objs[4], &objs[5],
                          &objs[6], &objs[7], &objs[8]))
        return NULL;
    Py_buffer b[9];
    int got = 0;
    PyObject *result = NULL;
    Py_ssize_t n;
    if (get_rows(objs[0], objs[1], b, &n) < 0) goto out;
    got = 2;
    if (get_buffer(objs[2], &b[2], "sources", 4, 0, -1) < 0) goto out;
    got = 3;
    Py_ssize_t k = b[2].len / 4;
    const char *names[] = {"dependency", "dependency_sq", "distance", "distance_sq", "reached"};
    for (int i = 0; i < 5; i++) {
        if (get_buffer(objs[3 + i], &b[3 + i], names[i], 8, 1, n) < 0) goto out;
        got = 4 + i;
    }
    if (get_buffer(objs[8], &b[8], "eccentricity", 4, 1, k) < 0) goto out;
    got = 9;
    {
        const int64_t *indptr = b[0].buf;
        const int32_t *indices = b[1].buf;
        const int32_t *sources = b[2].buf;
        for (Py_ssize_t i = 0; i < k; i++)
            if (sources[i] < 0 || sources[i] >= n) {
                PyErr_SetString(PyExc_ValueError, "sources: vertex out of range");
                goto out;
            }
        if (threads < 1) threads = 1;
        if (threads > LANES) threads = LANES;
        if (k < (Py_ssize_t)threads * CHUNK) threads = 1;
        Work *work = calloc((size_t)threads, sizeof(Work));
        pthread_t *ids = calloc((size_t)threads, sizeof(pthread_t));
        double *lanes = calloc((size_t)n * 2 * LANES, sizeof(double));
        double *dependency[LANES], *dependency_sq[LANES];
        for (int l = 0; lanes && l < LANES; l++) {
            dependency[l] = lanes + (size_t)n * (2 * l);
            dependency_sq[l] = lanes + (size_t)n * (2 * l + 1);
        }
        atomic_int next_lane = 0;
        int failed = !work || !ids || !lanes;
        int started = 0;
        if (!failed) {
            Py_BEGIN_ALLOW_THREADS;
            for (int t = 0; t < threads && !failed; t++) {
                Work *w = &work[t];
                w->n = (int32_t)n;
                w->indptr = indptr;
                w->indices = indices;
                w->sources = sources;
                w->nsources = k;
                w->next_lane = &next_lane;
                w->eccentricity = b[8].buf;
                w->dependency = dependency;
                w->dependency_sq = dependency_sq;
                if (t == 0) {
                    w->distance = b[5].buf;
                    w->distance_sq = b[6].buf;
                    w->reached = b[7].buf;
                } else {
                    double *block = calloc((size_t)n * 3, sizeof(double));
                    if (!block) {
                        failed = 1;
                        break;
                    }
                    w->distance = block;
                    w->distance_sq = block + n;
                    w->reached = block + 2 * n;
                }
            }
            if (!failed) {
                for (started = 1; started < threads; started++)
                    if (pthread_create(&ids[started], NULL, run, &work[started]) != 0) break;
                run(&work[0]);
                for (int t = 1; t < started; t++) pthread_join(ids[t], NULL);
                for (int t = started; t < threads; t++) run(&work[t]); /* threads that could not start */
                double *out_dependency = b[3].buf, *out_dependency_sq = b[4].buf;
                for (Py_ssize_t v = 0; v < n; v++) {
                    double sum = 0.0, sum_sq = 0.0;
                    for (int l = 0; l < LANES; l++) {
                        sum += dependency[l][v];
                        sum_sq += dependency_sq[l][v];
                    }
                    out_dependency[v] += sum;
                    out_dependency_sq[v] += sum_sq;
                }
                for (int t = 1; t < threads; t++) {
                    Work *w = &work[t];
                    for (Py_ssize_t v = 0; v < n; v++) {
                        work[0].distance[v] += w->distance[v];
                        work[0].distance_sq[v] += w->distance_sq[v];
                        work[0].reached[v] += w->reached[v];
                    }
                }
            }
            for (int t = 0; t < threads; t++) failed |= work[t].failed;
            for (int t = 1; t < threads; t++) free(work[t].distance);
            Py_END_ALLOW_THREADS;
        }
        free(work);
        free(lanes);
        free(ids);
        if (failed) {
            PyErr_NoMemory();
            goto out;
        }
    }
    result = Py_None;
    Py_INCREF(result);
out:
    for (int i = 0; i < got; i++) PyBuffer_Release(&b[i]);
    return result;
}

/* components(indptr: int64[n+1], indices: int32[m], labels: int64[n]): the connected component of every
 * vertex, numbered in the order of each component's lowest vertex (as igraph numbers them), by one
 * breadth-first search from each vertex not yet labelled. */
static PyObject *components(PyObject *self, PyObject *args) {
    PyObject *objs[3];
    if (!PyArg_ParseTuple(args, "OOO", &objs[0], &objs[1], &objs[2])) return NULL;
    Py_buffer b[3];
    int got = 0;
    PyObject *result = NULL;
    Py_ssize_t n;
    if (get_rows(objs[0], objs[1], b, &n) < 0) goto out;
    got = 2;
    if (get_buffer(objs[2], &b[2], "labels", 8, 1, n) < 0) goto out;
    got = 3;
    {
        const int64_t *indptr = b[0].buf;
        const int32_t *indices = b[1].buf;
        int64_t *labels = b[2].buf;
        int32_t *queue = malloc(sizeof(int32_t) * (size_t)(n ? n : 1));
        if (!queue) {
            PyErr_NoMemory();
            goto out;
        }
        Py_BEGIN_ALLOW_THREADS;
        for (Py_ssize_t v = 0; v < n; v++) labels[v] = -1;
        int64_t next = 0;
        for (Py_ssize_t s = 0; s < n; s++) {
            if (labels[s] >= 0) continue;
            int32_t head = 0, tail = 0;
            labels[s] = next;
            queue[tail++] = (int32_t)s;
            while (head < tail) {
                int32_t v = queue[head++];
                for (int64_t e = indptr[v]; e < indptr[v + 1]; e++) {
                    int32_t u = indices[e];
                    if (labels[u] < 0) {
                        labels[u] = next;
                        queue[tail++] = u;
                    }
                }
            }
            next++;
        }
        Py_END_ALLOW_THREADS;
        free(queue);
    }
    result = Py_None;
    Py_INCREF(result);
out:
    for (int i = 0; i < got; i++) PyBuffer_Release(&b[i]);
    return result;
}

static PyMethodDef methods[] = {
    {"components", components, METH_VARARGS,
     "components(indptr, indices, labels): the connected component of every vertex into the int64 array "
     "labels, numbered by each component's lowest vertex."},
    {"passes", passes, METH_VARARGS,
     "passes(indptr, indices, sources, threads, dependency, dependency_sq, distance, distance_sq, reached, "
     "eccentricity): one BFS from each source; adds the sums into the float64 arrays."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_allpaths", "Single-pass betweenness and closeness.", -1,
                                    methods};

PyMODINIT_FUNC PyInit__allpaths(void) { return PyModule_Create(&module); }
