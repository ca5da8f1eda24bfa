// Counts right-hand-side evaluations per 0.1 ms step of the shared adaptive
// integrator (models/rkf45.hpp) for the nonlinear models' equations, with the
// tolerances of their kernels, over 1 s of constant current from the
// initial values. Each attempted substep costs 6 evaluations (rejected ones
// and event location included). The numbers are quoted in docs/models/*.md.
//
//   g++ -O2 -std=c++20 -I. docs/models/rhs_evaluations.cpp -o /tmp/rhs_evaluations
//   /tmp/rhs_evaluations
#include <cstdio>
#include <cmath>
#include "models/rkf45.hpp"
using namespace pineal::models;
int main() {
  // AdEx defaults (exp synapses, no input)
  for (double I : {0.55, 1.0}) {
    double C=0.281, gl=C/9.3667, el=-70.6, dT=2, vt=-50.4, a=4e-3, tw=144, vr=-70.6, b=0.0805, peak=-40;
    Tolerance<2> tol; tol.rtol=1e-9; tol.atol={1e-8,1e-11};
    StateVec<2> y{-70.6,0}; double h=0.1; long evals=0; bool clamped=false; int left=0, spikes=0;
    auto rhs=[&](const StateVec<2>& x, StateVec<2>& d){ ++evals; double V=clamped?vr:std::min(x[0],peak);
      d[0]=clamped?0:(-gl*(V-el)+gl*dT*std::exp((V-vt)/dT)-x[1]+I)/C; d[1]=(a*(V-el)-x[1])/tw; };
    auto ev=[&](const StateVec<2>& x){ return clamped?-1.0:x[0]-peak; };
    auto on=[&](StateVec<2>& x){ x[0]=vr; x[1]+=b; clamped=true; left=20; };
    for (int k=0;k<10000;++k){ clamped = left>0; if(left>0) --left; spikes+=rkf45_advance(y,0.1,h,tol,rhs,ev,on);}
    std::printf("AdEx I=%.2f: %d spikes, %.1f rhs evaluations per step (%.1f substeps)\n", I, spikes, evals/1e4, evals/6e4);
  }
  for (double I : {0.02, 0.2, 1.0}) {
    Tolerance<4> tol; tol.rtol=1e-9; tol.atol={1e-8,1e-11,1e-11,1e-11};
    StateVec<4> y{-65,0,1,0}; double h=0.1; long evals=0;
    auto xe=[](double x){ return std::abs(x)<1e-6?1-0.5*x:x/std::expm1(x);};
    auto rhs=[&](const StateVec<4>& x, StateVec<4>& d){ ++evals; double V=x[0],m=x[1],hh=x[2],n=x[3],u=V+63;
      d[0]=(-0.01*(V+65)-20*m*m*m*hh*(V-50)-6*n*n*n*n*(V+90)+I)/0.2;
      double am=1.28*xe((13-u)/4), bm=1.4*xe((u-40)/5), ah=0.128*std::exp((17-u)/18), bh=4/(1+std::exp((40-u)/5)), an=0.16*xe((15-u)/5), bn=0.5*std::exp((10-u)/40);
      d[1]=am*(1-m)-bm*m; d[2]=ah*(1-hh)-bh*hh; d[3]=an*(1-n)-bn*n; };
    for (int k=0;k<10000;++k) rkf45_advance(y,0.1,h,tol,rhs,[](const StateVec<4>&){return -1.0;},[](StateVec<4>&){});
    std::printf("HH I=%.2f: %.1f rhs evaluations per step (%.1f substeps)\n", I, evals/1e4, evals/6e4);
  }
  for (double I : {0.002, 0.01}) {
    Tolerance<2> tol; tol.rtol=1e-10; tol.atol={1e-9,1e-10};
    StateVec<2> y{-70,-14}; double h=0.1; long evals=0; int spikes=0;
    auto rhs=[&](const StateVec<2>& x, StateVec<2>& d){ ++evals; d[0]=0.04*x[0]*x[0]+5*x[0]+140-x[1]+1000*I; d[1]=0.02*(0.2*x[0]-x[1]); };
    for (int k=0;k<10000;++k) spikes+=rkf45_advance(y,0.1,h,tol,rhs,[](const StateVec<2>& x){return x[0]-30;},[](StateVec<2>& x){x[0]=-65;x[1]+=2;});
    std::printf("Izhikevich I=%.3f: %d spikes, %.1f rhs evaluations per step (%.1f substeps)\n", I, spikes, evals/1e4, evals/6e4);
  }
}
